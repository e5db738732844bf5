import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Errno } from '@tskern/abi';
import { privateFutexKey } from './futex-key';
import { FutexTable } from './futex-table';
import { FlatUserMemory } from './testing/flat-user-memory';
import { FUTEX_OP, decodeWakeOp, encodeWakeOp, futexAtomicOp, futexWakeOp } from './wake-op';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);
const { FUTEX_OP_SET, FUTEX_OP_ADD, FUTEX_OP_OR, FUTEX_OP_ANDN, FUTEX_OP_XOR, FUTEX_OP_OPARG_SHIFT } = FUTEX_OP;
const { FUTEX_OP_CMP_EQ, FUTEX_OP_CMP_NE, FUTEX_OP_CMP_LT, FUTEX_OP_CMP_LE, FUTEX_OP_CMP_GT, FUTEX_OP_CMP_GE } = FUTEX_OP;

describe('FUTEX_WAKE_OP encoding', () => {
  it('decodes signed 12-bit operands and the shift flag', () => {
    expect(decodeWakeOp(encodeWakeOp(FUTEX_OP_ADD, -1, FUTEX_OP_CMP_GT, -2048))).toEqual({ op: FUTEX_OP_ADD, cmp: FUTEX_OP_CMP_GT, oparg: -1, cmparg: -2048 });
    expect(decodeWakeOp(encodeWakeOp(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0))).toMatchObject({ op: FUTEX_OP_OR, oparg: 16 });
    expect(decodeWakeOp(encodeWakeOp(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31, 0, 0)).oparg >>> 0).toBe(0x80000000);
    expect(decodeWakeOp(encodeWakeOp(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 33, 0, 0)).oparg).toBe(2); // masked to 5 bits
  });

  it('round-trips every field (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: -2048, max: 2047 }), fc.integer({ min: -2048, max: 2047 }),
        (op, cmp, oparg, cmparg) => {
          expect(decodeWakeOp(encodeWakeOp(op, oparg, cmp, cmparg))).toEqual({ op, cmp, oparg, cmparg });
        }),
      { numRuns: runs },
    );
  });
});

describe('futexAtomicOp', () => {
  const mem = new FlatUserMemory(0x1000, 64, [0x1020, 0x1040]);
  const run = (initial: number, op: number, oparg: number, cmp: number, cmparg: number) => {
    mem.writeU32(0x1000, initial);
    const r = futexAtomicOp(mem, 0x1000, encodeWakeOp(op, oparg, cmp, cmparg));
    return { r, now: mem.readU32(0x1000) };
  };

  it('applies set, add, or, andn, xor and compares the old value as an int', () => {
    expect(run(5, FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 5)).toEqual({ r: true, now: 7 });
    expect(run(0xffffffff, FUTEX_OP_ADD, 1, FUTEX_OP_CMP_LT, 0)).toEqual({ r: true, now: 0 }); // old is -1
    expect(run(0b1000, FUTEX_OP_OR, 1, FUTEX_OP_CMP_NE, 8)).toEqual({ r: false, now: 0b1001 });
    expect(run(0b1111, FUTEX_OP_ANDN, 0b0101, FUTEX_OP_CMP_GE, 15)).toEqual({ r: true, now: 0b1010 });
    expect(run(3, FUTEX_OP_XOR, 1, FUTEX_OP_CMP_LE, 2)).toEqual({ r: false, now: 2 });
    expect(run(3, FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 2)).toEqual({ r: true, now: 0 });
  });

  it('answers ENOSYS for an unknown op (memory untouched) or comparison (memory changed, as Linux)', () => {
    expect(run(1, 5, 9, FUTEX_OP_CMP_EQ, 0)).toEqual({ r: -Errno.ENOSYS, now: 1 });
    expect(run(1, FUTEX_OP_SET, 9, 6, 0)).toEqual({ r: -Errno.ENOSYS, now: 9 });
  });

  it('answers EFAULT for an unmapped or read-only word', () => {
    expect(futexAtomicOp(mem, 0x2000, encodeWakeOp(FUTEX_OP_SET, 1, 0, 0))).toBe(-Errno.EFAULT);
    expect(futexAtomicOp(mem, 0x1020, encodeWakeOp(FUTEX_OP_SET, 1, 0, 0))).toBe(-Errno.EFAULT);
  });
});

describe('futexWakeOp', () => {
  it('wakes key1, and key2 only when the comparison holds', () => {
    const mem = new FlatUserMemory(0x1000, 64);
    const t = new FutexTable();
    const space = {};
    const k1 = privateFutexKey(space, 0x1000);
    const k2 = privateFutexKey(space, 0x1004);
    for (let i = 0; i < 3; i++) t.wait(k1);
    for (let i = 0; i < 3; i++) t.wait(k2);
    mem.writeU32(0x1004, 1);
    // glibc's pthread_cond_signal shape: *uaddr2 = 0; wake 1 on uaddr1; if old > 0 wake 1 on uaddr2
    expect(futexWakeOp(t, mem, k1, k2, 0x1004, 1, 2, encodeWakeOp(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 0))).toBe(3);
    expect(mem.readU32(0x1004)).toBe(0);
    expect(futexWakeOp(t, mem, k1, k2, 0x1004, 1, 2, encodeWakeOp(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 0))).toBe(1);
    expect([t.waiters(k1), t.waiters(k2)]).toEqual([1, 1]);
    expect(futexWakeOp(t, mem, k1, k2, 0x9000, 1, 1, 0)).toBe(-Errno.EFAULT);
    expect(t.waiters(k1)).toBe(1);
  });
});
