import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Errno } from '@tskern/abi';
import { SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, applySigprocmask, checkSigsetSize } from './sigprocmask';
import { SIG } from './signal-numbers';
import { SignalSet } from './signal-set';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);

describe('rt_sigprocmask', () => {
  it('checks sigsetsize and how', () => {
    expect(checkSigsetSize(8)).toBe(0);
    expect(checkSigsetSize(4)).toBe(-Errno.EINVAL);
    expect(checkSigsetSize(16)).toBe(-Errno.EINVAL);
    expect(applySigprocmask(SignalSet.EMPTY, 3, SignalSet.EMPTY)).toBe(-Errno.EINVAL);
  });

  it('blocks, unblocks and sets', () => {
    const a = applySigprocmask(SignalSet.of(SIG.SIGINT), SIG_BLOCK, SignalSet.of(SIG.SIGUSR1)) as SignalSet;
    expect(a.toArray()).toEqual([SIG.SIGINT, SIG.SIGUSR1]);
    const b = applySigprocmask(a, SIG_UNBLOCK, SignalSet.of(SIG.SIGINT)) as SignalSet;
    expect(b.toArray()).toEqual([SIG.SIGUSR1]);
    const c = applySigprocmask(b, SIG_SETMASK, SignalSet.of(40)) as SignalSet;
    expect(c.toArray()).toEqual([40]);
  });

  it('never blocks SIGKILL or SIGSTOP, whatever the sequence (property)', () => {
    const op = fc.record({
      how: fc.constantFrom(SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK),
      lo: fc.integer({ min: 0, max: 0xffffffff }),
      hi: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        let mask = SignalSet.EMPTY;
        for (const o of ops) mask = applySigprocmask(mask, o.how, SignalSet.fromWords(o.lo, o.hi)) as SignalSet;
        expect(mask.has(SIG.SIGKILL) || mask.has(SIG.SIGSTOP)).toBe(false);
      }),
      { numRuns: runs },
    );
  });
});
