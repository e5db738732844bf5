import { Errno } from '@tskern/abi';
import { chmodInode, chownInode, S_IRWXUGO } from '@tskern/vfs';
import { id, int, mode as modeArg, readPath } from './args';
import type { FileSyscallContext } from './context';

/** chmod(2). */
export function sysChmod(ctx: FileSyscallContext, pathAddr: number, mode: number): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return ctx.vfs.chmod(ctx, path, modeArg(mode));
}

/** fchmod(2): not on an O_PATH descriptor (fdget). */
export function sysFchmod(ctx: FileSyscallContext, fd: number, mode: number): number {
  const file = ctx.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return chmodInode(ctx.cred, file.inode, modeArg(mode));
}

/** chown(2): follows symlinks; -1 keeps an id. */
export function sysChown(ctx: FileSyscallContext, pathAddr: number, uid: number, gid: number): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return ctx.vfs.chown(ctx, path, id(uid), id(gid), true);
}

/** fchown(2). */
export function sysFchown(ctx: FileSyscallContext, fd: number, uid: number, gid: number): number {
  const file = ctx.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return chownInode(ctx.cred, file.inode, id(uid), id(gid));
}

/** umask(2): set the mask's rwx bits, return the old mask. */
export function sysUmask(ctx: FileSyscallContext, mask: number): number {
  const old = ctx.fs.umask;
  ctx.fs.umask = mask & S_IRWXUGO;
  return old;
}

/** access(2). */
export function sysAccess(ctx: FileSyscallContext, pathAddr: number, mode: number): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return ctx.vfs.access(ctx, path, int(mode));
}
