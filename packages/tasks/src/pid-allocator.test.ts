import { describe, expect, it } from 'vitest';
import { CLONE, Errno, WAIT } from '@tskern/abi';
import { SIGACTION_X86_64 } from '@tskern/signal';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs } from '@tskern/vfs';
import type { ArchAbi } from './arch-abi';
import { PidAllocator, RESERVED_PIDS } from './pid-allocator';
import { TaskTable } from './task-table';

const testAbi: ArchAbi = {
  name: 'test',
  encodeStat: () => new Uint8Array(0),
  sigactionLayout: SIGACTION_X86_64,
  cloneRegisters: (flags, stack, parentTid, childTid, tls) => ({ flags, stack, parentTid, childTid, tls }),
};

describe('PidAllocator (alloc_pid, idr_alloc_cyclic)', () => {
  it('counts up from 2, wraps to RESERVED_PIDS below pid_max, skips ids in use and answers EAGAIN when none is free', () => {
    const ids = new PidAllocator();
    ids.pidMax = RESERVED_PIDS + 4;
    const given = Array.from({ length: RESERVED_PIDS + 2 }, () => ids.alloc(() => false));
    expect(given.slice(0, 2)).toEqual([2, 3]);
    expect(given.at(-1)).toBe(RESERVED_PIDS + 3);
    // Past pid_max - 1 the ids wrap to 300, not 1; 301 is still used.
    const used = new Set([RESERVED_PIDS + 1]);
    expect(ids.alloc((id) => used.has(id))).toBe(RESERVED_PIDS);
    expect(ids.alloc((id) => used.has(id))).toBe(RESERVED_PIDS + 2);
    expect(ids.alloc(() => true)).toBe(-Errno.EAGAIN);
    expect(ids.given).toBe(RESERVED_PIDS + 4);
  });
});

describe('TaskTable pid_max and threads-max', () => {
  function table() {
    const frames = new ArenaFrameAllocator({ frames: 1024 });
    const t = new TaskTable({ memory: memoryOptions(frames, standaloneSharedAnonymous(frames)), vfs: new Vfs(new RamFs({ frames })) });
    t.registerProgram('/bin/p', { stackSize: 16 * 1024 });
    const parent = t.spawn('/bin/p', { cred: new Credentials(0, 0), abi: testAbi });
    if (typeof parent === 'number') throw new Error(`spawn: ${parent}`);
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

  it('clone is EAGAIN once threads-max tasks exist', () => {
    const { t, parent } = table();
    t.threadsMax = 2;
    expect(typeof t.clone(parent, { flags: 0, exitSignal: 17 })).not.toBe('number');
    expect(t.clone(parent, { flags: CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD, exitSignal: 0 })).toBe(-Errno.EAGAIN);
  });
});
