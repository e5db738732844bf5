// Model-based property test: random sequences of F_SETLK, F_GETLK,
// F_SETLKW, cancel and release run against the table and against a byte map
// of who holds what; after every step the table's locks must describe
// exactly the model's bytes, in canonical form, and no waiter may be
// grantable or part of a wait-for cycle.
import { Errno, LOCK_TYPE } from '@tskern/abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descriptionLockOwner, processLockOwner, type LockOwner } from './lock-owner';
import type { PendingLock } from './pending-lock';
import { recordLocksConflict, type RecordLock, type RecordLockRequest, type RecordLockType } from './record-lock';
import { RecordLockTable } from './record-lock-table';

const RUNS = Number(process.env.TSKERN_PROPERTY_RUNS ?? 60);
const BYTES = 12;
const OWNERS: LockOwner[] = [processLockOwner(1), processLockOwner(2), processLockOwner(3), descriptionLockOwner(1)];
const { F_RDLCK: R, F_WRLCK: W, F_UNLCK: U } = LOCK_TYPE;

type Op =
  | { kind: 'set' | 'wait' | 'test'; owner: number; type: RecordLockType; start: number; len: number }
  | { kind: 'release'; owner: number }
  | { kind: 'cancel'; index: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('set' as const, 'wait' as const, 'test' as const),
    owner: fc.nat(OWNERS.length - 1),
    type: fc.constantFrom<RecordLockType>(R, W, U),
    start: fc.nat(BYTES - 1),
    len: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ kind: fc.constant('release' as const), owner: fc.nat(OWNERS.length - 1) }),
  fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(20) }),
);

/** Who holds each byte: owner -> type. */
class ByteModel {
  bytes: Map<LockOwner, RecordLockType>[] = Array.from({ length: BYTES + 6 }, () => new Map());

  conflicts(req: RecordLockRequest): boolean {
    if (req.type === U) return false;
    for (let b = Number(req.start); b <= Number(req.end); b++) {
      for (const [owner, type] of this.bytes[b]!) {
        if (owner !== req.owner && (type === W || req.type === W)) return true;
      }
    }
    return false;
  }

  apply(req: RecordLockRequest): void {
    for (let b = Number(req.start); b <= Number(req.end); b++) {
      if (req.type === U) this.bytes[b]!.delete(req.owner);
      else this.bytes[b]!.set(req.owner, req.type);
    }
  }

  /** Whether the request's owner holds any byte of its range. */
  holds(req: RecordLockRequest): boolean {
    for (let b = Number(req.start); b <= Number(req.end); b++) if (this.bytes[b]!.has(req.owner)) return true;
    return false;
  }

  release(owner: LockOwner): void {
    for (const m of this.bytes) m.delete(owner);
  }

  /** The canonical runs of one owner: maximal runs of one type. */
  runs(owner: LockOwner): string[] {
    const out: string[] = [];
    let b = 0;
    while (b < this.bytes.length) {
      const type = this.bytes[b]!.get(owner);
      if (type === undefined) {
        b++;
        continue;
      }
      let e = b;
      while (e + 1 < this.bytes.length && this.bytes[e + 1]!.get(owner) === type) e++;
      out.push(`${type}[${b},${e}]`);
      b = e + 1;
    }
    return out;
  }
}

describe('RecordLockTable against a byte model', () => {
  it('agrees on every step', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const table = new RecordLockTable();
        const model = new ByteModel();
        const inode = {};
        const waiting: { req: RecordLockRequest; p: PendingLock<RecordLock> }[] = [];
        const granted: RecordLockRequest[] = [];
        const onDone = (req: RecordLockRequest) => (r: number) => {
          if (r === 0) granted.push(req);
        };
        for (const op of ops) {
          if (op.kind === 'release') {
            table.release(inode, OWNERS[op.owner]!);
            model.release(OWNERS[op.owner]!);
          } else if (op.kind === 'cancel') {
            const w = waiting.splice(op.index % Math.max(1, waiting.length), 1)[0];
            w?.p.cancel();
          } else {
            const req: RecordLockRequest = {
              owner: OWNERS[op.owner]!,
              type: op.type,
              start: BigInt(op.start),
              end: BigInt(op.start + op.len - 1),
            };
            const conflict = model.conflicts(req);
            if (op.kind === 'test') {
              const found = table.test(inode, req);
              if (req.type === U) {
                // F_UNLCK asks for the owner's own lock over the range.
                const own = model.holds(req);
                expect(found !== undefined).toBe(own);
                if (found) expect(found.owner).toBe(req.owner);
              } else {
                expect(found !== undefined).toBe(conflict);
                if (found) expect(recordLocksConflict(req, found)).toBe(true);
              }
            } else if (op.kind === 'set') {
              expect(table.set(inode, req)).toBe(conflict ? -Errno.EAGAIN : 0);
              if (!conflict) model.apply(req);
            } else {
              const r = table.setWait(inode, req, onDone(req));
              if (!conflict) {
                expect(r).toBe(0);
                model.apply(req);
              } else if (typeof r === 'number') {
                expect(r).toBe(-Errno.EDEADLK);
              } else {
                waiting.push({ req, p: r });
              }
            }
          }
          // Grants happen inside the table; apply them to the model in order.
          for (const req of granted.splice(0)) {
            expect(model.conflicts(req)).toBe(false);
            model.apply(req);
          }
          for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!.p.result !== undefined) waiting.splice(i, 1);
          for (const owner of OWNERS) {
            const held = table
              .locksOf(inode)
              .filter((l) => l.owner === owner)
              .map((l) => `${l.type}[${l.start},${l.end}]`);
            expect(held).toEqual(model.runs(owner));
          }
          // No waiter could be granted now.
          for (const w of waiting) expect(model.conflicts(w.req)).toBe(true);
          // The wait-for graph among process owners has no cycle.
          const waitsFor = new Map<LockOwner, LockOwner>();
          for (const w of waiting) {
            if (!w.req.owner.ofd && !waitsFor.has(w.req.owner)) {
              waitsFor.set(w.req.owner, w.p.blocker.owner);
            }
          }
          for (const start of waitsFor.keys()) {
            let at: LockOwner | undefined = waitsFor.get(start);
            for (let i = 0; at && i < OWNERS.length; i++) {
              expect(at).not.toBe(start);
              at = waitsFor.get(at);
            }
          }
        }
        expect(table.waitersOf(inode)).toBe(waiting.length);
      }),
      { numRuns: RUNS },
    );
  });
});
