// A task table, both architectures' tables and one spawned x86-64 task, for dispatcher tests.
import { Errno } from '@tskern/abi';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { TaskTable } from '@tskern/tasks';
import { Credentials, Vfs } from '@tskern/vfs';
import { riscv64Personality } from '../arch/riscv64';
import { x86_64Personality } from '../arch/x86-64';
import { SyscallDispatcher } from '../dispatcher';

export function world(uid = 1000) {
  const frames = new ArenaFrameAllocator({ frames: 1024 });
  const vfs = new Vfs(new RamFs({ frames }));
  const tasks = new TaskTable({ memory: memoryOptions(frames, standaloneSharedAnonymous(frames)), vfs });
  tasks.registerProgram('/bin/p', { stackSize: 16 * 4096 });
  const x86 = x86_64Personality();
  const rv = riscv64Personality();
  const dispatcher = new SyscallDispatcher(tasks, [x86, rv]);
  const sys = (tid: number, nr: number, ...args: (number | bigint)[]): number => {
    const r = dispatcher.call(tid, nr, ...args);
    return typeof r === 'number' ? r : -Errno.EAGAIN;
  };
  const p = tasks.spawn('/bin/p', { cred: new Credentials(uid, uid), abi: x86.abi });
  if (typeof p === 'number') throw new Error('spawn');
  return { dispatcher, sys, p, tasks, frames, x86, rv, vfs };
}

