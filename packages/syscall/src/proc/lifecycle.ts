import { Errno, PATH_MAX } from '@tskern/abi';
import { copyOut, readString } from '@tskern/mman';
import { i32, u64 } from '../args';
import type { SyscallHandler } from '../process-types';

const decoder = new TextDecoder();

/** fork(2) (and vfork(2), which tskern treats as fork): the child's pid to the parent. */
export const sysFork: SyscallHandler = (env, proc) => env.processes.fork(proc).pid;

/** execve(2) of a registered program; argv and envp are not interpreted. */
export const sysExecve: SyscallHandler = (env, proc, pathAddr) => {
  const path = readString(proc.mm, u64(pathAddr), PATH_MAX - 1);
  if (typeof path === 'number') return path;
  if (path.length === 0) return -Errno.ENOENT;
  return env.processes.exec(proc, decoder.decode(path));
};

/** exit(2) and exit_group(2): tskern processes have one thread, so both end the process. */
export const sysExitGroup: SyscallHandler = (env, proc, status) => {
  env.processes.exit(proc, i32(status));
  return 0;
};

const WNOHANG = 1;

/** wait4(2): reap a zombie child and store its wait status (exit code << 8). */
export const sysWait4: SyscallHandler = (env, proc, pid, statusAddr, options) => {
  const result = env.processes.wait(proc, i32(pid), (i32(options) & WNOHANG) !== 0);
  if (typeof result === 'number') return result;
  const addr = u64(statusAddr);
  if (addr !== 0) {
    const status = new Uint8Array(4);
    new DataView(status.buffer).setInt32(0, (result.exitStatus & 0xff) << 8, true);
    const copied = copyOut(proc.mm, addr, status, 0, 4);
    if (copied !== 0) return copied;
  }
  return result.pid;
};

export const sysGetpid: SyscallHandler = (_env, proc) => proc.pid;
export const sysGetppid: SyscallHandler = (_env, proc) => proc.ppid;
export const sysGetuid: SyscallHandler = (_env, proc) => proc.cred.uid;
export const sysGetgid: SyscallHandler = (_env, proc) => proc.cred.gid;
