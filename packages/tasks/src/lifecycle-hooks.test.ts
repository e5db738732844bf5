import { describe, expect, it } from 'vitest';
import { CLONE, MAP, PROT } from '@tskern/abi';
import { memoryOptions, mmap, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { SIGACTION_X86_64, SignalSet } from '@tskern/signal';
import { Credentials, Vfs } from '@tskern/vfs';
import type { ArchAbi } from './arch-abi';
import { TaskTable } from './task-table';

const testAbi: ArchAbi = {
  name: 'test',
  encodeStat: () => new Uint8Array(0),
  sigactionLayout: SIGACTION_X86_64,
  cloneRegisters: (flags, stack, parentTid, childTid, tls) => ({ flags, stack, parentTid, childTid, tls }),
};

describe('TaskTable lifecycle hooks and killGroup', () => {
  it('walks the robust list before the CLONE_CHILD_CLEARTID store, then wakes; reports the process end', () => {
    const frames = new ArenaFrameAllocator({ frames: 1024 });
    const events: string[] = [];
    const t = new TaskTable({
      memory: memoryOptions(frames, standaloneSharedAnonymous(frames)),
      vfs: new Vfs(new RamFs({ frames })),
      hooks: {
        releasingMm: (task) => events.push(`release ${task.tid}`),
        childTidCleared: (task, addr) => events.push(`cleared ${task.tid} ${addr.toString(16)}`),
        groupExited: (group) => {
          events.push(`exited ${group.tgid} status ${group.waitStatus}`);
          return false;
        },
      },
    });
    t.registerProgram('/bin/p', {});
    const p = t.spawn('/bin/p', { cred: new Credentials(1000, 1000), abi: testAbi });
    if (typeof p === 'number') throw new Error('spawn');
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
