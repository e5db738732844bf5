import { Errno } from '@tskern/abi';
import type { RobustListMemory } from '@tskern/futex';
import type { Task } from '@tskern/tasks';

const word = new Uint8Array(8);
const view = new DataView(word.buffer);

/**
 * A task's memory as futexes reach it (get_user / futex_atomic_cmpxchg_inatomic):
 * u32 reads, compare-and-set, and pointer-sized reads for the robust list.
 * Tasks run one at a time, so read-compare-write is atomic with respect to
 * every other task. A store to a read-only or unmapped word is EFAULT.
 *
 * A class, not an object literal of closures: a futex wait makes one and
 * keeps it while it sleeps, and a literal's allocation site is what V8
 * pretenures when such objects outlive a young collection.
 */
class TaskFutexMemory implements RobustListMemory {
  constructor(private readonly task: Task) {}

  readU32(addr: number): number {
    if (this.task.mem.copyIn(addr, word, 0, 4) < 0) return -Errno.EFAULT;
    return view.getUint32(0, true);
  }

  cmpxchgU32(addr: number, expected: number, desired: number): number {
    const mem = this.task.mem;
    if (mem.copyIn(addr, word, 0, 4) < 0) return -Errno.EFAULT;
    const cur = view.getUint32(0, true);
    if (cur !== expected >>> 0) return cur;
    view.setUint32(0, desired >>> 0, true);
    if (mem.copyOut(addr, word, 0, 4) < 0) return -Errno.EFAULT;
    return cur;
  }

  readWord(addr: number): number | null {
    if (this.task.mem.copyIn(addr, word, 0, 8) < 0) return null;
    return view.getInt32(4, true) * 0x1_0000_0000 + view.getUint32(0, true);
  }
}

export function taskFutexMemory(task: Task): RobustListMemory {
  return new TaskFutexMemory(task);
}
