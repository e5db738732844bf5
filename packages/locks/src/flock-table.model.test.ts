// Property test: random flock operations of a few descriptions (shared,
// exclusive, unlock, with and without waiting, cancel, release). After every
// step the held locks must be compatible (the table checks that itself while
// invariant checks are on), no waiter may be grantable, and every grant must
// have found its lock compatible with the others at that moment.
import { Errno, LOCK_TYPE } from '@tskern/abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlockTable, type FlockLock } from './flock-table';
import type { PendingLock } from './pending-lock';
import type { RecordLockType } from './record-lock';

const RUNS = Number(process.env.TSKERN_PROPERTY_RUNS ?? 60);
const { F_RDLCK: SH, F_WRLCK: EX, F_UNLCK: UN } = LOCK_TYPE;

type Op =
  | { kind: 'lock'; d: number; type: RecordLockType; wait: boolean }
  | { kind: 'release'; d: number }
  | { kind: 'cancel'; i: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('lock' as const), d: fc.nat(3), type: fc.constantFrom<RecordLockType>(SH, EX, UN), wait: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const), d: fc.nat(3) }),
  fc.record({ kind: fc.constant('cancel' as const), i: fc.nat(10) }),
);

function conflicts(locks: readonly FlockLock[], d: object, type: RecordLockType): boolean {
  return locks.some((l) => l.description !== d && (type === EX || l.type === EX));
}

describe('FlockTable properties', () => {
  it('keeps held locks compatible and never leaves a grantable waiter', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const table = new FlockTable();
        const inode = {};
        const ds = [{}, {}, {}, {}];
        let waiting: { d: object; type: RecordLockType; p: PendingLock<FlockLock> }[] = [];
        for (const op of ops) {
          if (op.kind === 'release') {
            // A closing description stops waiting first (its task is gone), then drops its lock.
            for (const w of waiting.filter((x) => x.d === ds[op.d])) w.p.cancel();
            waiting = waiting.filter((x) => x.d !== ds[op.d]);
            table.release(inode, ds[op.d]!);
          } else if (op.kind === 'cancel') {
            const [w] = waiting.splice(op.i % Math.max(1, waiting.length), 1);
            w?.p.cancel();
          } else if (!waiting.some((w) => w.d === ds[op.d] && w.p.result === undefined)) {
            const d = ds[op.d]!;
            const onDone = (r: number) => {
              expect(r).toBe(0);
              const others = table.locksOf(inode).filter((l) => l.description !== d);
              expect(conflicts(others, d, op.type)).toBe(false);
            };
            const r = table.lock(inode, d, op.type, op.wait ? onDone : undefined);
            if (typeof r === 'object') waiting.push({ d, type: op.type, p: r });
            else if (r === -Errno.EAGAIN) expect(op.wait).toBe(false);
            else expect(r).toBe(0);
          }
          waiting = waiting.filter((w) => w.p.result === undefined);
          expect(table.waitersOf(inode)).toBe(waiting.length);
          const held = table.locksOf(inode);
          for (const w of waiting) expect(conflicts(held, w.d, w.type)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
