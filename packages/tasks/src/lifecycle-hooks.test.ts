import { describe, expect, it } from 'vitest';
import { CLONE, MAP, PROT } from '@tskern/abi';
import { mmap } from '@tskern/mman';
import { SignalSet } from '@tskern/signal';
import { spawnP, testTable } from './testing/task-kit';

describe('TaskTable lifecycle hooks and killGroup', () => {
  it('walks the robust list before the CLONE_CHILD_CLEARTID store, then wakes; reports the process end', () => {
    const events: string[] = [];
    const { t } = testTable({
      program: {},
      hooks: {
        releasingMm: (task) => events.push(`release ${task.tid}`),
        childTidCleared: (task, addr) => events.push(`cleared ${task.tid} ${addr.toString(16)}`),
        groupExited: (group) => {
          events.push(`exited ${group.tgid} status ${group.waitStatus}`);
          return false;
        },
      },
    });
    const p = spawnP(t);
    const mem = mmap(p.mm, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const flags = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD | CLONE.CLONE_CHILD_CLEARTID;
    const th = t.clone(p, { flags, exitSignal: 0, childTid: mem });
    if (typeof th === 'number') throw new Error('clone');
    expect(th.sigmask).toBe(p.sigmask);
    t.exit(th, 0);
    expect(events).toEqual([`release ${th.tid}`, `cleared ${th.tid} ${mem.toString(16)}`]);
    const child = t.fork(p);
    child.sigmask = SignalSet.of(10);
    t.killGroup(child, 15);
    expect(child.group.waitStatus).toBe(15);
    expect(events.at(-1)).toBe(`exited ${child.pid} status 15`);
  });
});
