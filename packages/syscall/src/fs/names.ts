import { AT, AT_FDCWD, Errno, type FileOffset } from '@tskern/abi';
import { limitNewSize } from './file-size-limit';
import { bytesFromByteString } from '@tskern/vfs';
import { int, mode as modeArg, readPath } from './args';
import type { Task } from '@tskern/tasks';
import { startDir } from './dirfd';

/** unlinkat(2): AT_REMOVEDIR makes it rmdir; any other flag is EINVAL, checked first. */
export function sysUnlinkat(task: Task, dirfd: number, pathAddr: number, flags: number): number {
  const fl = int(flags);
  if ((fl & ~AT.AT_REMOVEDIR) !== 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, int(dirfd), path);
  if (typeof at === 'number') return at;
  return (fl & AT.AT_REMOVEDIR) !== 0 ? task.vfs.rmdir(task, path, at) : task.vfs.unlink(task, path, at);
}

/** unlink(2). */
export function sysUnlink(task: Task, pathAddr: number): number {
  return sysUnlinkat(task, AT_FDCWD, pathAddr, 0);
}

/** rmdir(2). */
export function sysRmdir(task: Task, pathAddr: number): number {
  return sysUnlinkat(task, AT_FDCWD, pathAddr, AT.AT_REMOVEDIR);
}

/** mkdirat(2). */
export function sysMkdirat(task: Task, dirfd: number, pathAddr: number, mode: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, int(dirfd), path);
  if (typeof at === 'number') return at;
  return task.vfs.mkdir(task, path, modeArg(mode), at);
}

/** mkdir(2). */
export function sysMkdir(task: Task, pathAddr: number, mode: number): number {
  return sysMkdirat(task, AT_FDCWD, pathAddr, mode);
}

/** mknodat(2) (do_mknodat): mode is a umode_t, dev an unsigned int (new_encode_dev). */
export function sysMknodat(task: Task, dirfd: number, pathAddr: number, mode: number, dev: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, int(dirfd), path);
  if (typeof at === 'number') return at;
  return task.vfs.mknod(task, path, mode & 0xffff, dev >>> 0, at);
}

/** mknod(2) (x86-64 only: asm-generic has mknodat alone). */
export function sysMknod(task: Task, pathAddr: number, mode: number, dev: number): number {
  return sysMknodat(task, AT_FDCWD, pathAddr, mode, dev);
}

/** renameat(2). */
export function sysRenameat(task: Task, oldDirfd: number, oldAddr: number, newDirfd: number, newAddr: number): number {
  const oldPath = readPath(task.mem, oldAddr);
  if (typeof oldPath === 'number') return oldPath;
  const newPath = readPath(task.mem, newAddr);
  if (typeof newPath === 'number') return newPath;
  const oldAt = startDir(task, int(oldDirfd), oldPath);
  if (typeof oldAt === 'number') return oldAt;
  const newAt = startDir(task, int(newDirfd), newPath);
  if (typeof newAt === 'number') return newAt;
  return task.vfs.rename(task, oldPath, newPath, oldAt, newAt);
}

/** rename(2). */
export function sysRename(task: Task, oldAddr: number, newAddr: number): number {
  return sysRenameat(task, AT_FDCWD, oldAddr, AT_FDCWD, newAddr);
}

/** symlinkat(2): the target is read like a path (ENOENT when empty) and stored as is. */
export function sysSymlinkat(task: Task, targetAddr: number, dirfd: number, linkAddr: number): number {
  const target = readPath(task.mem, targetAddr);
  if (typeof target === 'number') return target;
  const link = readPath(task.mem, linkAddr);
  if (typeof link === 'number') return link;
  const at = startDir(task, dirfd, link);
  if (typeof at === 'number') return at;
  return task.vfs.symlink(task, target, link, at);
}

/** symlink(2). */
export function sysSymlink(task: Task, targetAddr: number, linkAddr: number): number {
  return sysSymlinkat(task, targetAddr, AT_FDCWD, linkAddr);
}

/**
 * readlinkat(2) (do_readlinkat): bufsiz <= 0 is EINVAL before the lookup; the
 * target is copied without a NUL, cut at bufsiz; the count is returned.
 */
export function sysReadlinkat(task: Task, dirfd: number, pathAddr: number, buf: number, bufsiz: number): number {
  const size = int(bufsiz);
  if (size <= 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  const target = task.vfs.readlink(task, path, at);
  if (typeof target === 'number') return target;
  const bytes = bytesFromByteString(target);
  const n = Math.min(bytes.length, size);
  return task.mem.copyOut(buf, bytes, 0, n) < 0 ? -Errno.EFAULT : n;
}

/** readlink(2): readlinkat(AT_FDCWD, ...). */
export function sysReadlink(task: Task, pathAddr: number, buf: number, bufsiz: number): number {
  return sysReadlinkat(task, AT_FDCWD, pathAddr, buf, bufsiz);
}

/** truncate(2): a negative length is EINVAL before the path is read (do_sys_truncate); RLIMIT_FSIZE as ftruncate. */
export function sysTruncate(task: Task, pathAddr: number, length: FileOffset): number {
  if (length < 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return task.vfs.truncate(task, path, length, (size, newSize) => limitNewSize(task, size, newSize));
}
