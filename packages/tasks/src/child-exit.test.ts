import { describe, expect, it } from 'vitest';
import { CLONE, WAIT } from '@tskern/abi';
import { SIGACTION_X86_64 } from '@tskern/signal';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs } from '@tskern/vfs';
import type { ArchAbi } from './arch-abi';
import { TaskTable } from './task-table';

const testAbi: ArchAbi = {
  name: 'test',
  encodeStat: () => new Uint8Array(0),
  sigactionLayout: SIGACTION_X86_64,
  cloneRegisters: (flags, stack, parentTid, childTid, tls) => ({ flags, stack, parentTid, childTid, tls }),
};

const THREAD = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD;

function parentAndChild() {
  const frames = new ArenaFrameAllocator({ frames: 256 });
  const t = new TaskTable({ memory: memoryOptions(frames, standaloneSharedAnonymous(frames)), vfs: new Vfs(new RamFs({ frames })) });
  t.registerProgram('/bin/p', { stackSize: 16 * 1024 });
  const parent = t.spawn('/bin/p', { cred: new Credentials(1000, 1000), abi: testAbi });
  if (typeof parent === 'number') throw new Error(`spawn: ${parent}`);
  return { t, parent, child: t.fork(parent) };
}

describe('child exit: the wait queue, signal deaths, WNOWAIT', () => {
  it('wakes a parent waiting on childExit when a child becomes a zombie, not before', () => {
    const { t, parent, child } = parentAndChild();
    const woken: string[] = [];
    parent.group.childExit.add(undefined, () => woken.push('parent') > 0);
    const thread = t.clone(child, { flags: THREAD, exitSignal: 0 });
    if (typeof thread === 'number') throw new Error(`clone: ${thread}`);
    t.exit(thread, 0); // a thread of the child ends: no wake
    expect(woken).toEqual([]);
    t.exitGroup(child, 3);
    expect(woken).toEqual(['parent']);
    expect(child.group.waitStatus).toBe(3 << 8);
  });

  it('killGroup leaves the status of a death by a signal; WNOWAIT reports without reaping', () => {
    const { t, parent, child } = parentAndChild();
    const woken: string[] = [];
    parent.group.childExit.add(undefined, () => woken.push('parent') > 0);
    t.killGroup(child, 11);
    expect(woken).toEqual(['parent']);
    expect(child.group.waitStatus).toBe(11);
    expect(t.wait(parent, -1, WAIT.WNOWAIT)).toBe(child.group);
    expect(t.wait(parent, -1, 0)).toBe(child.group);
    expect(t.wait(parent, -1, 0)).toBeLessThan(0); // ECHILD: reaped
  });
});
