import { CAP, Errno } from '@tskern/abi';
import { FUTEX_BITSET_MATCH_ANY, ROBUST_LIST_HEAD_SIZE, exitRobustList, type FutexKey } from '@tskern/futex';
import { futexKeyOf } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { capable } from '@tskern/vfs';
import { futexesOf } from './futex-host';
import { taskFutexMemory } from './task-futex-memory';

/** set_robust_list(2): EINVAL unless `len` is sizeof(struct robust_list_head); the head is not checked. */
export function sysSetRobustList(task: Task, head: number, len: number): number {
  if (len !== ROBUST_LIST_HEAD_SIZE) return -Errno.EINVAL;
  task.robustList = { head, len };
  return 0;
}

const out = new Uint8Array(8);
const outView = new DataView(out.buffer);

function putWord(task: Task, addr: number, value: number): number {
  outView.setUint32(0, value >>> 0, true);
  outView.setUint32(4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
  return task.mem.copyOut(addr, out, 0, 8) < 0 ? -Errno.EFAULT : 0;
}

/**
 * get_robust_list(2): the head of thread `pid` (0: the caller). ESRCH for no
 * such thread; EPERM unless the caller may read it (ptrace_may_access with
 * PTRACE_MODE_READ_REALCREDS, reduced to: the caller has CAP_SYS_PTRACE, or
 * its real uid is the target's real, effective and saved uid and the target
 * holds no permitted capability the caller lacks, cap_ptrace_access_check).
 * Stores the length, then the head (EFAULT).
 */
export function sysGetRobustList(task: Task, pid: number, headPtr: number, lenPtr: number): number {
  const target = pid === 0 ? task : task.kernel.tasks.get(pid);
  if (target === undefined || !target.alive) return -Errno.ESRCH;
  if (target !== task && !capable(task.cred, CAP.CAP_SYS_PTRACE)) {
    const c = target.cred;
    if (c.uid !== task.cred.uid || c.euid !== task.cred.uid || c.suid !== task.cred.uid) return -Errno.EPERM;
    if ((c.caps.permitted & ~task.cred.caps.permitted) !== 0n) return -Errno.EPERM;
  }
  if (putWord(task, lenPtr, ROBUST_LIST_HEAD_SIZE) < 0) return -Errno.EFAULT;
  return putWord(task, headPtr, target.robustList.head);
}

/**
 * The futex part of a thread's exit and of execve (futex_exit_release /
 * futex_exec_release): walk its robust list, marking the locks it holds
 * FUTEX_OWNER_DIED and waking a waiter of each. Linux wakes with
 * FLAGS_SHARED: the key of a private page is private anyway.
 */
export function releaseRobustList(task: Task): void {
  const head = task.robustList.head;
  task.robustList = { head: 0, len: 0 };
  if (head === 0) return;
  const table = futexesOf(task.kernel.tasks);
  exitRobustList(taskFutexMemory(task), head, task.tid, table, (addr): FutexKey | number => futexKeyOf(task.mm, addr, false));
}

/**
 * CLONE_CHILD_CLEARTID at exit (mm_release): after 0 was stored at
 * `addr` (which the task model does while other tasks share the memory),
 * wake one waiter there, as pthread_join waits on it.
 */
export function wakeClearedChildTid(task: Task, addr: number): void {
  const key = futexKeyOf(task.mm, addr, false);
  if (typeof key === 'number') return;
  futexesOf(task.kernel.tasks).wake(key, 1, FUTEX_BITSET_MATCH_ANY);
}
