/**
 * Property: any sequence of raw syscalls (random numbers and arguments, from
 * several processes, with loads and stores) keeps every address space's
 * invariants, never throws, and leaks no frame once every process has exited.
 * fast-check shrinks a failing sequence to a small one.
 */
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { SYS } from '@tskern/abi';
import { Prng } from './prng';
import { RawGenerator, RawMachine, replay, type Action } from './raw';

const PAGE = 4096;
const MM_CALLS = [SYS.mmap, SYS.munmap, SYS.mprotect, SYS.mremap, SYS.madvise, SYS.msync, SYS.mincore, SYS.fork, SYS.exit_group, SYS.wait4];

/** Arguments near a small window of the address space, so calls interact. */
const BASE = 0x10000000;
const arbAddr = fc.oneof(
  fc.integer({ min: 0, max: 63 }).map((p) => BASE + p * PAGE),
  fc.integer({ min: 0, max: 64 * PAGE }).map((o) => BASE + o),
  fc.constantFrom(0, 1, PAGE, 2 ** 47, 2 ** 64 - PAGE, -1),
);
const arbLen = fc.oneof(
  fc.integer({ min: 0, max: 16 }).map((p) => p * PAGE),
  fc.integer({ min: 0, max: 16 * PAGE }),
  fc.constantFrom(2 ** 47, 2 ** 63, -1, -PAGE),
);
const arbSmall = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 }));

const arbSys: fc.Arbitrary<Action> = fc
  .record({
    s: fc.nat(5),
    nr: fc.oneof(fc.constantFrom(...MM_CALLS), fc.integer({ min: 0, max: 340 })),
    a: fc.tuple(arbAddr, arbLen, arbSmall, arbSmall, arbSmall, arbAddr),
  })
  .map(({ s, nr, a }) => {
    // mmap: flags with MAP_ANONYMOUS mostly, and MAP_FIXED often, in the window.
    if (nr === SYS.mmap) {
      const flags = ((a[3] & 1) !== 0 ? 0x01 : 0x02) | 0x20 | (a[3] & 0x10) | (a[3] & 0x8000) | ((a[3] & 0x40000000) !== 0 ? 0x100000 : 0);
      return { t: 'sys' as const, s, nr, a: [a[0], a[1], a[2] & 7, flags, -1, 0] };
    }
    if (nr === SYS.mremap) return { t: 'sys' as const, s, nr, a: [a[0], a[1], Math.abs(a[2]) * PAGE, a[3] & 7, a[5], 0] };
    return { t: 'sys' as const, s, nr, a: [a[0], a[1], a[2], a[3], a[4], a[5]] };
  });

const arbAccess: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant('store' as const), s: fc.nat(5), addr: arbAddr, data: fc.array(fc.nat(255), { maxLength: 40 }) }),
  fc.record({ t: fc.constant('load' as const), s: fc.nat(5), addr: arbAddr, len: fc.nat(3 * PAGE) }),
  fc.record({ t: fc.constant('fill' as const), s: fc.nat(5), addr: arbAddr, len: fc.nat(5 * PAGE), byte: fc.nat(255) }),
);

/** Two processes to start with; every fork binds the next slot; slot numbers wrap onto the slots that may exist. */
function resolveSlots(actions: readonly Action[]): Action[] {
  const out: Action[] = [{ t: 'spawn', uid: 1000, c: 0 }, { t: 'spawn', uid: 0, c: 1 }];
  let slots = 2;
  for (const a of actions) {
    if (a.t === 'check' || a.t === 'end') out.push(a);
    else if (a.t === 'spawn') out.push({ ...a, c: slots++ });
    else if (a.t === 'sys' && (a.nr === SYS.fork || a.nr === SYS.vfork)) out.push({ ...a, s: a.s % slots, c: slots++ });
    else out.push({ ...a, s: a.s % slots });
  }
  return out;
}

describe('raw syscall sequences (fast-check)', () => {
  it('keep mm.check() passing, never throw, and leak no frames', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: arbSys }, { weight: 1, arbitrary: arbAccess }, { weight: 1, arbitrary: fc.constant<Action>({ t: 'check' }) }), { maxLength: 80 }), (actions) => {
        const failure = replay(resolveSlots(actions));
        expect(failure).toBeUndefined();
      }),
      { numRuns: propertyRuns(60) },
    );
  }, testTimeout(30_000));

  it('the raw generator: a thousand steps (more with TSKERN_PROPERTY_RUNS), checked as it goes', () => {
    const m = new RawMachine(30_000);
    const g = new RawGenerator(new Prng(2024, 1), m, { maxProcs: 6, checkEvery: 100 });
    for (let i = 0; i < propertyRuns(1000); i++) for (const a of g.next()) g.noteResult(a, m.run(a));
    m.run({ t: 'check' });
    m.run({ t: 'end' });
    expect(m.kernel.framesInUse()).toBe(0);
  });
});
