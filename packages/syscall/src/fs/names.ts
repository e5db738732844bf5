import { AT, AT_FDCWD, Errno } from '@tskern/abi';
import { bytesFromByteString } from '@tskern/vfs';
import { int, mode as modeArg, readPath } from './args';
import type { FileSyscallContext } from './context';
import { startDir } from './dirfd';

/** unlinkat(2): AT_REMOVEDIR makes it rmdir; any other flag is EINVAL, checked first. */
export function sysUnlinkat(ctx: FileSyscallContext, dirfd: number, pathAddr: number, flags: number): number {
  const fl = int(flags);
  if ((fl & ~AT.AT_REMOVEDIR) !== 0) return -Errno.EINVAL;
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(ctx, int(dirfd), path);
  if (typeof at === 'number') return at;
  return (fl & AT.AT_REMOVEDIR) !== 0 ? ctx.vfs.rmdir(ctx, path, at) : ctx.vfs.unlink(ctx, path, at);
}

/** unlink(2). */
export function sysUnlink(ctx: FileSyscallContext, pathAddr: number): number {
  return sysUnlinkat(ctx, AT_FDCWD, pathAddr, 0);
}

/** rmdir(2). */
export function sysRmdir(ctx: FileSyscallContext, pathAddr: number): number {
  return sysUnlinkat(ctx, AT_FDCWD, pathAddr, AT.AT_REMOVEDIR);
}

/** mkdirat(2). */
export function sysMkdirat(ctx: FileSyscallContext, dirfd: number, pathAddr: number, mode: number): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(ctx, int(dirfd), path);
  if (typeof at === 'number') return at;
  return ctx.vfs.mkdir(ctx, path, modeArg(mode), at);
}

/** mkdir(2). */
export function sysMkdir(ctx: FileSyscallContext, pathAddr: number, mode: number): number {
  return sysMkdirat(ctx, AT_FDCWD, pathAddr, mode);
}

/** renameat(2). */
export function sysRenameat(ctx: FileSyscallContext, oldDirfd: number, oldAddr: number, newDirfd: number, newAddr: number): number {
  const oldPath = readPath(ctx.mem, oldAddr);
  if (typeof oldPath === 'number') return oldPath;
  const newPath = readPath(ctx.mem, newAddr);
  if (typeof newPath === 'number') return newPath;
  const oldAt = startDir(ctx, int(oldDirfd), oldPath);
  if (typeof oldAt === 'number') return oldAt;
  const newAt = startDir(ctx, int(newDirfd), newPath);
  if (typeof newAt === 'number') return newAt;
  return ctx.vfs.rename(ctx, oldPath, newPath, oldAt, newAt);
}

/** rename(2). */
export function sysRename(ctx: FileSyscallContext, oldAddr: number, newAddr: number): number {
  return sysRenameat(ctx, AT_FDCWD, oldAddr, AT_FDCWD, newAddr);
}

/** symlink(2): the target is read like a path (ENOENT when empty) and stored as is. */
export function sysSymlink(ctx: FileSyscallContext, targetAddr: number, linkAddr: number): number {
  const target = readPath(ctx.mem, targetAddr);
  if (typeof target === 'number') return target;
  const link = readPath(ctx.mem, linkAddr);
  if (typeof link === 'number') return link;
  return ctx.vfs.symlink(ctx, target, link);
}

/**
 * readlink(2) (do_readlinkat): bufsiz <= 0 is EINVAL before the lookup; the
 * target is copied without a NUL, cut at bufsiz; the count is returned.
 */
export function sysReadlink(ctx: FileSyscallContext, pathAddr: number, buf: number, bufsiz: number): number {
  const size = int(bufsiz);
  if (size <= 0) return -Errno.EINVAL;
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  const target = ctx.vfs.readlink(ctx, path);
  if (typeof target === 'number') return target;
  const bytes = bytesFromByteString(target);
  const n = Math.min(bytes.length, size);
  return ctx.mem.copyOut(buf, bytes, 0, n) < 0 ? -Errno.EFAULT : n;
}

/** truncate(2): a negative length is EINVAL before the path is read (do_sys_truncate). */
export function sysTruncate(ctx: FileSyscallContext, pathAddr: number, length: number): number {
  if (length < 0) return -Errno.EINVAL;
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return ctx.vfs.truncate(ctx, path, length);
}
