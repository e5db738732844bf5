import { Signal } from '@tskern/abi';
import type { SignalFrameMemory } from '@tskern/signal';
import type { Task } from '@tskern/tasks';

/**
 * A task's user memory as a frame builder sees it: a failed copy is the
 * SIGSEGV Linux forces when copy_to_user/copy_from_user of a frame fails.
 */
export function taskFrameMemory(task: Task): SignalFrameMemory {
  return {
    read: (addr, into) => (task.mem.copyIn(addr, into, 0, into.length) < 0 ? Signal.SIGSEGV : 0),
    write: (addr, from) => (task.mem.copyOut(addr, from, 0, from.length) < 0 ? Signal.SIGSEGV : 0),
  };
}
