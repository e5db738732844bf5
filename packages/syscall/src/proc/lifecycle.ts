import { Errno, PATH_MAX, Signal, WAIT } from '@tskern/abi';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { readExecStrings } from './exec-strings';

const decoder = new TextDecoder();

/** fork(2) and vfork(2) (which tskern runs as fork): the child's pid to the parent. */
export function sysFork(task: Task): number {
  return task.kernel.tasks.fork(task).tid;
}

/**
 * execve(2) (fs/exec.c do_execveat_common). A registered program of the
 * scenario language runs as before (argv and envp not interpreted); any
 * other path goes to the kernel's binary formats, which open the file, read
 * argv and envp through `readExecStrings` and build the new image in a fresh
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
  if (format === undefined || tasks.program(path) !== undefined) return tasks.exec(task, path);
  const image = format.load(task, path, () => readExecStrings(task, argvAddr, envpAddr));
  if (typeof image === 'number') return image;
  if ('kind' in image) {
    tasks.killGroup(task, Signal.SIGSEGV);
    return 0;
  }
  tasks.commitExec(task, image);
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
