import { Errno } from '@tskern/abi';
import { bytesFromByteString } from '@tskern/vfs';
import { int, readPath } from './args';
import type { FileSyscallContext } from './context';

/** chdir(2). */
export function sysChdir(ctx: FileSyscallContext, pathAddr: number): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return ctx.vfs.chdir(ctx, path);
}

/** fchdir(2) (O_PATH descriptors too). */
export function sysFchdir(ctx: FileSyscallContext, fd: number): number {
  const file = ctx.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return ctx.vfs.chdirTo(ctx, file.path);
}

/**
 * getcwd(2): the path and its NUL; ERANGE when `size` is too small, ENOENT
 * when the cwd was removed. Returns the length including the NUL.
 */
export function sysGetcwd(ctx: FileSyscallContext, buf: number, size: number): number {
  const cwd = ctx.vfs.getcwd(ctx);
  if (typeof cwd === 'number') return cwd;
  const bytes = bytesFromByteString(cwd + '\0');
  if (size >= 0 && bytes.length > size) return -Errno.ERANGE; // size is unsigned: a negative one is huge
  return ctx.mem.copyOut(buf, bytes, 0, bytes.length) < 0 ? -Errno.EFAULT : bytes.length;
}
