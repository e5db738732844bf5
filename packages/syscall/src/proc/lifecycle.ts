import { CLONE, Errno, PATH_MAX, Signal, WAIT } from '@tskern/abi';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { vforkWait } from './vfork';

const decoder = new TextDecoder();

/** fork(2): the child's pid to the parent. */
export function sysFork(task: Task): number {
  return task.kernel.tasks.fork(task).tid;
}

/**
 * vfork(2) (kernel/fork.c: clone with CLONE_VFORK | CLONE_VM, SIGCHLD): the
 * child runs in the parent's address space and the parent sleeps until it
 * exec'd or exited.
 */
export function sysVfork(task: Task): SyscallReturn {
  const child = task.kernel.tasks.clone(task, { flags: CLONE.CLONE_VFORK | CLONE.CLONE_VM, exitSignal: Signal.SIGCHLD });
  return typeof child === 'number' ? child : vforkWait(child, CLONE.CLONE_VFORK);
}

/** execve(2) of a registered program; argv and envp are not interpreted. */
export function sysExecve(task: Task, pathAddr: number): number {
  const path = task.mem.readString(pathAddr, PATH_MAX - 1);
  if (typeof path === 'number') return path;
  if (path.length === 0) return -Errno.ENOENT;
  return task.kernel.tasks.exec(task, decoder.decode(path));
}

/** exit(2): this thread ends; the process ends with its last thread. */
export function sysExit(task: Task, code: number): number {
  task.kernel.tasks.exit(task, code);
  return 0;
}

/** exit_group(2): every thread of the process ends. */
export function sysExitGroup(task: Task, code: number): number {
  task.kernel.tasks.exitGroup(task, code);
  return 0;
}

const WAIT4_OPTIONS = WAIT.WNOHANG | WAIT.WUNTRACED | WAIT.WCONTINUED | WAIT.__WNOTHREAD | WAIT.__WCLONE | WAIT.__WALL;
/** struct rusage: two timevals and fourteen longs. */
const RUSAGE_SIZE = 144;

/**
 * wait4(2) (kernel/exit.c): EINVAL for unknown options, ESRCH for INT_MIN;
 * reaps a zombie child, storing its wait status (exit code << 8) and a
 * zeroed rusage (tskern keeps no accounting); 0 with WNOHANG while the
 * children run; otherwise it blocks, and its retry looks again.
 */
export function sysWait4(task: Task, pid: number, statusAddr: number, options: number, rusageAddr: number): SyscallReturn {
  if (((options >>> 0) & ~WAIT4_OPTIONS) !== 0) return -Errno.EINVAL;
  if (pid === -0x80000000) return -Errno.ESRCH;
  const attempt = (): SyscallReturn => {
    if (!task.alive) return -Errno.ESRCH;
    const child = task.kernel.tasks.wait(task, pid, options);
    if (typeof child === 'number') {
      if (child !== 0 || (options & WAIT.WNOHANG) !== 0) return child;
      return { reason: `wait4(${pid})`, on: [waitOn(task.group.childExit)], restart: 'sys', retry: attempt, cancel: () => {} };
    }
    if (statusAddr !== 0) {
      const status = new Uint8Array(4);
      new DataView(status.buffer).setInt32(0, child.waitStatus, true);
      if (task.mem.copyOut(statusAddr, status, 0, 4) < 0) return -Errno.EFAULT;
    }
    if (rusageAddr !== 0 && task.mem.copyOut(rusageAddr, new Uint8Array(RUSAGE_SIZE), 0, RUSAGE_SIZE) < 0) return -Errno.EFAULT;
    return child.tgid;
  };
  return attempt();
}

/** getpid(2): the thread group's id. */
export function sysGetpid(task: Task): number {
  return task.pid;
}

/** gettid(2). */
export function sysGettid(task: Task): number {
  return task.tid;
}

/** getppid(2). */
export function sysGetppid(task: Task): number {
  return task.group.ppid;
}

/** set_tid_address(2): where 0 is stored (and a futex woken) when this thread exits; returns the tid. */
export function sysSetTidAddress(task: Task, tidptr: number): number {
  task.clearChildTid = tidptr;
  return task.tid;
}
