import { describe, expect, it } from 'vitest';
import {
  asSignal, err, Errno, FAULT_OK, isError, Signal,
  type FaultResult, type NegErrno, type SignalNumber, type Status,
} from './index';

// Each `@ts-expect-error` below is a compile-time test: `tsc --noEmit` (the
// package's typecheck) fails if the line it guards ever type-checks, i.e. if
// one kind of result could pass for another.

function statusOf(ok: boolean): Status {
  return ok ? 0 : err(Errno.EINVAL);
}
function faultOf(ok: boolean): FaultResult {
  return ok ? FAULT_OK : Signal.SIGSEGV;
}

describe('NegErrno', () => {
  it('err negates the errno and isError recognises it', () => {
    const e = err(Errno.ENOMEM);
    expect(e).toBe(-12);
    expect(isError(e)).toBe(true);
    expect(isError(statusOf(true))).toBe(false);
    expect(statusOf(false)).toBe(-Errno.EINVAL);
  });

  it('is what isError narrows a raw result to', () => {
    const raw: number = -Errno.EFAULT;
    if (isError(raw)) {
      const e: NegErrno = raw;
      expect(e).toBe(-14);
    } else {
      expect.unreachable();
    }
  });

  it('rejects at compile time a signal, a plain number or a negated constant where an errno is expected', () => {
    // @ts-expect-error a signal number is not -errno
    const a: NegErrno = Signal.SIGBUS;
    // @ts-expect-error a signal number is not a Status
    const b: Status = Signal.SIGSEGV;
    // @ts-expect-error a plain number is not -errno: spell it err(Errno.X)
    const c: NegErrno = -22;
    // @ts-expect-error the fault path's result is not a Status
    const d: Status = faultOf(false);
    expect([a, b, c, d]).toEqual([7, 11, -22, 11]);
  });
});

describe('SignalNumber and FaultResult', () => {
  it('keeps the Linux numbers and their literal types', () => {
    const bus: SignalNumber<7> = Signal.SIGBUS;
    expect(bus).toBe(7);
    expect(Signal.SIGSEGV).toBe(11);
    expect(asSignal(34)).toBe(34);
    expect(faultOf(true)).toBe(0);
  });

  it('rejects at compile time an errno or a plain number where a fault result is expected', () => {
    // @ts-expect-error -errno is not a fault result
    const a: FaultResult = err(Errno.EFAULT);
    // @ts-expect-error a plain number is not a signal
    const b: SignalNumber = 11;
    // @ts-expect-error a Status is not a fault result
    const c: FaultResult = statusOf(false);
    expect([a, b, c]).toEqual([-14, 11, -22]);
  });
});
