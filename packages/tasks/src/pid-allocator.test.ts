import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { Errno, WAIT } from '@tskern/abi';
import { Credentials } from '@tskern/vfs';
import { PidAllocator, RESERVED_PIDS } from './pid-allocator';
import { TaskTable } from './task-table';
import { spawnP, testTable, THREAD } from './testing/task-kit';

describe('PidAllocator (alloc_pid, idr_alloc_cyclic)', () => {
  it('counts up from 2, wraps to RESERVED_PIDS below pid_max, skips ids in use and answers EAGAIN when none is free', () => {
    const ids = new PidAllocator();
    ids.pidMax = RESERVED_PIDS + 4;
    const given = Array.from({ length: RESERVED_PIDS + 2 }, () => ids.alloc());
    expect(given.slice(0, 2)).toEqual([2, 3]);
    expect(given.at(-1)).toBe(RESERVED_PIDS + 3);
    // Past pid_max - 1 the ids wrap to 300, not 1; 301 is still used.
    ids.hold(RESERVED_PIDS + 1);
    expect(ids.alloc()).toBe(RESERVED_PIDS);
    ids.hold(RESERVED_PIDS);
    expect(ids.alloc()).toBe(RESERVED_PIDS + 2);
    ids.hold(RESERVED_PIDS + 2);
    ids.hold(RESERVED_PIDS + 3);
    expect(ids.alloc()).toBe(-Errno.EAGAIN);
    expect(ids.given).toBe(RESERVED_PIDS + 4);
    // An id held twice (a tid that is also a process group) is free only when both let go.
    ids.hold(RESERVED_PIDS + 3);
    ids.release(RESERVED_PIDS + 3);
    expect(ids.alloc()).toBe(-Errno.EAGAIN);
    ids.release(RESERVED_PIDS + 3);
    expect(ids.alloc()).toBe(RESERVED_PIDS + 3);
  });

  it('gives what a plain cyclic scan over the set of held ids gives', () => {
    // The model: the held ids as a set; the next id is the first free one from the cursor up to
    // pid_max, then from the low end (2, or 300 once the cursor has passed it), as alloc_pid.
    const op = fc.oneof(
      fc.constant({ kind: 'alloc' as const }),
      fc.record({ kind: fc.constant('hold' as const), id: fc.integer({ min: 2, max: RESERVED_PIDS + 40 }) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 3, max: RESERVED_PIDS + 40 }), fc.nat({ max: RESERVED_PIDS + 10 }), fc.array(op, { maxLength: 200 }), (pidMax, skip, ops) => {
        const ids = new PidAllocator();
        ids.pidMax = pidMax;
        const held: number[] = [];
        let last = 1;
        const modelAlloc = (): number => {
          const min = last >= RESERVED_PIDS ? RESERVED_PIDS : 2;
          const from = last + 1 >= pidMax || last + 1 < min ? min : last + 1;
          const order = [...range(from, pidMax), ...range(min, from)];
          const id = order.find((n) => !held.includes(n));
          if (id === undefined) return -Errno.EAGAIN;
          last = id;
          return id;
        };
        // Move the cursor on (possibly past RESERVED_PIDS) before the mixed operations.
        for (let i = 0; i < skip; i++) expect(ids.alloc()).toBe(modelAlloc());
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const id = ids.alloc();
            expect(id).toBe(modelAlloc());
            if (id > 0) {
              ids.hold(id);
              held.push(id);
            }
          } else if (o.kind === 'hold') {
            ids.hold(o.id);
            held.push(o.id);
          } else if (held.length > 0) {
            const [id] = held.splice(o.pick % held.length, 1);
            ids.release(id!);
          }
        }
        for (let id = 0; id < RESERVED_PIDS + 40; id++) expect(ids.inUse(id)).toBe(held.includes(id));
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

describe('TaskTable pid_max and threads-max', () => {
  function table() {
    const { t } = testTable();
    const parent = spawnP(t, new Credentials(0, 0));
    return { t, parent };
  }

  it('fork is EAGAIN once every id below pid_max is held, and a reaped child frees its id', () => {
    const { t, parent } = table();
    t.pids.pidMax = 5; // ids 2..4 (pid_max is at least 301 through the sysctl; the table takes any)
    const a = t.clone(parent, { flags: 0, exitSignal: 17 });
    const b = t.clone(parent, { flags: 0, exitSignal: 17 });
    if (typeof a === 'number' || typeof b === 'number') throw new Error('clone');
    expect([parent.tid, a.tid, b.tid]).toEqual([2, 3, 4]);
    expect(t.clone(parent, { flags: 0, exitSignal: 17 })).toBe(-Errno.EAGAIN);
    t.exitGroup(a, 0);
    // A zombie keeps its id until it is reaped.
    expect(t.clone(parent, { flags: 0, exitSignal: 17 })).toBe(-Errno.EAGAIN);
    expect(t.wait(parent, a.tid, WAIT.WNOHANG)).not.toBe(0);
    const c = t.clone(parent, { flags: 0, exitSignal: 17 });
    expect(typeof c === 'number' ? c : c.tid).toBe(3);
  });

  it('holds exactly the ids a walk over every task and process finds in use, through fork, threads, exec, setpgid, setsid, exit and wait', () => {
    // The model is the definition allocTid once computed by walking the table at every fork:
    // an id is in use while it is a task's tid, or a process's tgid, process group or session.
    const walked = (t: TaskTable): Set<number> => {
      const used = new Set<number>();
      for (const task of t.tasks()) used.add(task.tid);
      for (const g of t.groups()) used.add(g.tgid).add(g.pgid).add(g.sid);
      return used;
    };
    const op = fc.record({
      kind: fc.constantFrom('fork', 'thread', 'exit', 'exitGroup', 'wait', 'exec', 'setpgid', 'setsid'),
      a: fc.nat(),
      b: fc.nat(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 40 }), fc.array(op, { maxLength: 40 }), (pidMax, ops) => {
        const { t, parent } = table();
        t.pids.pidMax = pidMax;
        let last = parent.tid;
        for (const { kind, a, b } of ops) {
          const live = [...t.tasks()].filter((x) => x.alive);
          if (live.length === 0) break;
          const task = live[a % live.length]!;
          const groups = [...t.groups()];
          if (kind === 'fork' || kind === 'thread') {
            // The id alloc_pid must give: the first one after the last given, cyclically, that the walk finds free.
            const used = walked(t);
            const order = [...range(last + 1, pidMax), ...range(2, last + 1)];
            const expected = order.find((id) => !used.has(id)) ?? -Errno.EAGAIN;
            const child = t.clone(task, kind === 'fork' ? { flags: 0, exitSignal: 17 } : { flags: THREAD, exitSignal: 0 });
            expect(typeof child === 'number' ? child : child.tid).toBe(expected);
            if (typeof child !== 'number') last = child.tid;
          } else if (kind === 'exit') t.exit(task, 0);
          else if (kind === 'exitGroup') t.exitGroup(task, 0);
          else if (kind === 'wait') t.wait(task, -1, WAIT.WNOHANG | 0x40000000);
          else if (kind === 'exec') t.exec(task, '/bin/p');
          else if (kind === 'setpgid') task.group.pgid = groups[b % groups.length]!.pgid;
          else {
            task.group.sid = task.group.tgid;
            task.group.pgid = task.group.tgid;
          }
          const used = walked(t);
          for (let id = 0; id <= pidMax; id++) expect(t.pids.inUse(id)).toBe(used.has(id));
        }
      }),
      { numRuns: propertyRuns(30) },
    );
  });

  it('clone is EAGAIN once threads-max tasks exist', () => {
    const { t, parent } = table();
    t.threadsMax = 2;
    expect(typeof t.clone(parent, { flags: 0, exitSignal: 17 })).not.toBe('number');
    expect(t.clone(parent, { flags: THREAD, exitSignal: 0 })).toBe(-Errno.EAGAIN);
  });
});
