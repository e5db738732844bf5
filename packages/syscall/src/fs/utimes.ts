import { AT, AT_FDCWD, Errno, UTIME } from '@tskern/abi';
import { utimesInode, type TimeRequest } from '@tskern/vfs';
import type { Task } from '@tskern/tasks';
import { int, readPath } from './args';
import { startDir } from './dirfd';

/** Two `struct __kernel_timespec`s: access time, then modification time. */
const TIMES_SIZE = 32;

type Times = { atime: TimeRequest; mtime: TimeRequest };

/** One timespec as a request: UTIME_NOW/UTIME_OMIT by tv_nsec, else milliseconds (tskern's time unit). */
function timeRequest(sec: bigint, nsec: bigint): TimeRequest {
  if (nsec === BigInt(UTIME.UTIME_NOW)) return 'now';
  if (nsec === BigInt(UTIME.UTIME_OMIT)) return 'omit';
  if (nsec < 0n || nsec >= 1_000_000_000n) return 'invalid';
  return Number(sec) * 1000 + Number(nsec) / 1e6;
}

/**
 * utimensat(2) and futimens(2) (glibc's futimens is utimensat(fd, NULL, ...)),
 * in fs/utimes.c's order: the times are copied in first (EFAULT), and both
 * UTIME_OMIT answers 0 without looking at the file. A NULL path with a real
 * descriptor is that descriptor (EINVAL for any flag, EBADF for a bad or
 * O_PATH one); otherwise flags other than AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH are EINVAL and the path is looked up (a NULL path is EFAULT;
 * an empty one with AT_EMPTY_PATH is `dirfd` itself). Then utimesInode.
 * Times are kept in milliseconds, so nanoseconds below that are rounded.
 */
export function sysUtimensat(task: Task, dirfd: number, pathAddr: number, timesAddr: number, flags: number): number {
  let times: Times | null = null;
  if (timesAddr !== 0) {
    const b = new Uint8Array(TIMES_SIZE);
    if (task.mem.copyIn(timesAddr, b, 0, TIMES_SIZE) < 0) return -Errno.EFAULT;
    const v = new DataView(b.buffer);
    times = {
      atime: timeRequest(v.getBigInt64(0, true), v.getBigInt64(8, true)),
      mtime: timeRequest(v.getBigInt64(16, true), v.getBigInt64(24, true)),
    };
    // "Nothing to do, we must not even check the path" (sys_utimensat).
    if (times.atime === 'omit' && times.mtime === 'omit') return 0;
  }
  const fd = int(dirfd);
  if (pathAddr === 0 && fd !== AT_FDCWD) {
    if (flags !== 0) return -Errno.EINVAL; // do_utimes_fd
    const file = task.files.get(fd);
    if (file === null || file.isPathOnly) return -Errno.EBADF;
    return utimesInode(task.cred, file.inode, times);
  }
  if ((flags & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) !== 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (path === -Errno.ENOENT && (flags & AT.AT_EMPTY_PATH) !== 0) {
    if (fd === AT_FDCWD) return task.vfs.utimes(task, '.', times, true);
    const file = task.files.get(fd);
    if (file === null) return -Errno.EBADF;
    return utimesInode(task.cred, file.inode, times);
  }
  if (typeof path === 'number') return path;
  const at = startDir(task, fd, path);
  if (typeof at === 'number') return at;
  return task.vfs.utimes(task, path, times, (flags & AT.AT_SYMLINK_NOFOLLOW) === 0, at);
}
