import { CAP, Errno, MAP, type FileOffset } from '@tskern/abi';
import { mmap } from '@tskern/mman';
import { PipeFcntl, pipeEndOf, pipeFcntl } from '@tskern/pipe';
import type { Task } from '@tskern/tasks';
import { capable } from '@tskern/vfs';
import type { SyscallReturn } from '../block';
import { accessOk, int, MAX_RW_COUNT } from '../fs/args';
import { sysFcntl } from '../fs/fd-ops';
import { sysPread64, sysPwrite64, sysRead, sysWrite } from '../fs/read-write';
import { sysMmap } from '../mm/mmap';
import { memoryLimits } from '../proc/rlimits';
import { readPipe, writePipe } from './pipe';

/**
 * The file calls that meet files which are not regular: a pipe's read and
 * write may sleep (pipe_read/pipe_write), a stream has no pread/pwrite
 * (ESPIPE without FMODE_PREAD/FMODE_PWRITE), fcntl sizes a pipe
 * (pipe_fcntl), /dev/zero maps as anonymous memory (mmap_zero). Everything
 * else goes to the regular handlers.
 */

/** read(2). */
export function sysReadFile(task: Task, fd: number, buf: number, count: number): SyscallReturn {
  const file = task.files.get(int(fd));
  const end = file !== null && file.readable ? pipeEndOf(file) : null;
  if (end === null || file === null) return sysRead(task, fd, buf, count);
  if (!accessOk(buf, count)) return -Errno.EFAULT;
  return readPipe(task, file, end, buf, Math.min(count, MAX_RW_COUNT));
}

/** write(2). */
export function sysWriteFile(task: Task, fd: number, buf: number, count: number): SyscallReturn {
  const file = task.files.get(int(fd));
  const end = file !== null && file.writable ? pipeEndOf(file) : null;
  if (end === null || file === null) return sysWrite(task, fd, buf, count);
  if (!accessOk(buf, count)) return -Errno.EFAULT;
  return writePipe(task, file, end, buf, Math.min(count, MAX_RW_COUNT));
}

/** pread64(2): ESPIPE on a stream (ksys_pread64 checks FMODE_PREAD before vfs_read). */
export function sysPread64File(task: Task, fd: number, buf: number, count: number, pos: FileOffset): number {
  if (pos >= 0 && task.files.get(int(fd))?.isStream === true) return -Errno.ESPIPE;
  return sysPread64(task, fd, buf, count, pos);
}

/** pwrite64(2): ESPIPE on a stream. */
export function sysPwrite64File(task: Task, fd: number, buf: number, count: number, pos: FileOffset): number {
  if (pos >= 0 && task.files.get(int(fd))?.isStream === true) return -Errno.ESPIPE;
  return sysPwrite64(task, fd, buf, count, pos);
}

/** fcntl(2) with F_GETPIPE_SZ/F_SETPIPE_SZ (EBADF on a file that is not a pipe; privileged: CAP_SYS_RESOURCE, pipe_set_size). */
export function sysFcntlFile(task: Task, fd: number, cmd: number, arg: number): SyscallReturn {
  const c = int(cmd);
  if (c !== PipeFcntl.F_GETPIPE_SZ && c !== PipeFcntl.F_SETPIPE_SZ) return sysFcntl(task, fd, cmd, arg);
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return pipeFcntl(file, c, arg >>> 0, capable(task.cred, CAP.CAP_SYS_RESOURCE));
}

/**
 * mmap(2) of a file that maps as anonymous memory (/dev/zero): do_mmap's
 * access checks on the descriptor (EACCES), then mmap_zero: shared
 * anonymous memory for MAP_SHARED, private anonymous memory otherwise.
 * A shared mapping of a descriptor opened without write has no
 * VM_MAYWRITE (do_mmap), so mprotect(PROT_WRITE) on it is EACCES as on Linux.
 */
export function sysMmapFile(task: Task, addr: number, len: number, prot: number, flags: number, fd: number, off: number): number {
  const f = flags >>> 0;
  const file = (f & MAP.MAP_ANONYMOUS) === 0 ? task.files.get(fd | 0) : null;
  if (file === null || !file.mapsAnonymous || off % 4096 !== 0) return sysMmap(task, addr, len, prot, flags, fd, off);
  if (file.isPathOnly) return -Errno.EBADF;
  const type = f & MAP.MAP_TYPE;
  const shared = type === MAP.MAP_SHARED || type === MAP.MAP_SHARED_VALIDATE;
  // ksys_mmap_pgoff: MAP_HUGETLB on a file that is not on hugetlbfs.
  if ((f & MAP.MAP_HUGETLB) !== 0) return -Errno.EINVAL;
  if (!file.readable || (shared && (prot & 0x2) !== 0 && !file.writable)) return -Errno.EACCES;
  const anonFlags = shared ? (f & ~MAP.MAP_TYPE) | MAP.MAP_SHARED : f;
  const limits = (f & MAP.MAP_LOCKED) !== 0 || task.mm.defFlags !== 0 ? memoryLimits(task) : undefined;
  return mmap(task.mm, addr, len, prot | 0, anonFlags | MAP.MAP_ANONYMOUS, null, off, limits, !shared || file.writable);
}
