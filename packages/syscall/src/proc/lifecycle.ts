import { CLONE, Errno, PATH_MAX, Signal, WAIT } from '@tskern/abi';
import { waitOn } from '@tskern/sched';
import type { ExecStrings, Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { childUsage, putRusage } from '../system/rusage';
import { readExecStrings } from './exec-strings';
import { vforkWait } from './vfork';

const decoder = new TextDecoder();

/** fork(2): the child's pid to the parent, or -EAGAIN when no pid is free or threads-max tasks exist (copy_process). */
export function sysFork(task: Task): number {
  const child = task.kernel.tasks.clone(task, { flags: 0, exitSignal: Signal.SIGCHLD });
  return typeof child === 'number' ? child : child.tid;
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

/** A byte string as /proc/[pid]/cmdline keeps it (one char per byte). */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/**
 * execve(2) (fs/exec.c do_execveat_common). A registered program of the
 * scenario language runs as before: the path (EFAULT, ENAMETOOLONG,
 * ENOENT), then the program (ENOENT, as alloc_bprm opens it first), then
 * argv and envp, copied and checked as for any binary (`readExecStrings`:
 * EFAULT, E2BIG by the caller's RLIMIT_STACK); argv is kept for
 * /proc/[pid]/cmdline, envp is not interpreted. Any other
 * path goes to the kernel's binary formats, which open the file, read argv
 * and envp through `readExecStrings` and build the new image in a fresh
 * address space: an errno until then leaves the caller intact; past the
 * point of no return a failed load kills the process with SIGSEGV
 * (force_fatal_sig), and success replaces the image (the call returns 0 to
 * a context the new program starts from).
 */
export function sysExecve(task: Task, pathAddr: number, argvAddr = 0, envpAddr = 0): number {
  const bytes = task.mem.readString(pathAddr, PATH_MAX - 1);
  if (typeof bytes === 'number') return bytes;
  if (bytes.length === 0) return -Errno.ENOENT;
  const path = decoder.decode(bytes);
  const tasks = task.kernel.tasks;
  const format = tasks.binaryFormat;
  if (format === undefined || tasks.program(path) !== undefined) {
    if (tasks.program(path) === undefined) return -Errno.ENOENT;
    const strings = readExecStrings(task, argvAddr, envpAddr);
    if (typeof strings === 'number') return strings;
    return tasks.exec(task, path, strings.argv.map(latin1));
  }
  let strings: ExecStrings | number | undefined;
  const image = format.load(task, path, () => (strings = readExecStrings(task, argvAddr, envpAddr)));
  if (typeof image === 'number') return image;
  if ('kind' in image) {
    tasks.killGroup(task, Signal.SIGSEGV);
    return 0;
  }
  tasks.commitExec(task, image, typeof strings === 'object' ? strings.argv.map(latin1) : undefined);
  image.release();
  return 0;
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

/**
 * wait4(2) (kernel/exit.c): EINVAL for unknown options, ESRCH for INT_MIN;
 * reaps a zombie child, storing its wait status (exit code << 8) and its
 * rusage (its own and its reaped children's, as getrusage RUSAGE_BOTH in
 * wait_task_zombie); 0 with WNOHANG while the
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
    if (rusageAddr !== 0 && putRusage(task, rusageAddr, childUsage(child)) < 0) return -Errno.EFAULT;
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
