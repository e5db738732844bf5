import { i64 } from '../args';
import { Errno, F, SEEK } from '@tskern/abi';
import { int } from './args';
import type { FileSyscallContext } from './context';

/** dup(2). */
export function sysDup(ctx: FileSyscallContext, fd: number): number {
  return ctx.files.dup(int(fd));
}

/** dup2(2). */
export function sysDup2(ctx: FileSyscallContext, oldFd: number, newFd: number): number {
  return ctx.files.dup2(int(oldFd), int(newFd));
}

/** dup3(2). */
export function sysDup3(ctx: FileSyscallContext, oldFd: number, newFd: number, flags: number): number {
  return ctx.files.dup3(int(oldFd), int(newFd), int(flags));
}

/** fcntl commands an O_PATH descriptor allows (check_fcntl_cmd). */
const PATH_FCNTL: readonly number[] = [F.F_DUPFD, F.F_DUPFD_CLOEXEC, F.F_GETFD, F.F_SETFD, F.F_GETFL];

/**
 * fcntl(2): F_DUPFD/F_DUPFD_CLOEXEC (lowest free descriptor >= arg),
 * F_GETFD/F_SETFD (close-on-exec), F_GETFL/F_SETFL (status flags). Other
 * commands are EINVAL; on an O_PATH descriptor only the first five work.
 */
export function sysFcntl(ctx: FileSyscallContext, fd: number, cmd: number, arg: number): number {
  const n = int(fd);
  const file = ctx.files.get(n);
  if (file === null) return -Errno.EBADF;
  const c = int(cmd);
  if (file.isPathOnly && !PATH_FCNTL.includes(c)) return -Errno.EBADF;
  switch (c) {
    case F.F_DUPFD:
      return ctx.files.dupFrom(n, int(arg), false);
    case F.F_DUPFD_CLOEXEC:
      return ctx.files.dupFrom(n, int(arg), true);
    case F.F_GETFD:
      return ctx.files.getFdFlags(n);
    case F.F_SETFD:
      return ctx.files.setFdFlags(n, int(arg));
    case F.F_GETFL:
      return file.getFlags();
    case F.F_SETFL:
      return file.setFlags(int(arg), ctx.cred);
    default:
      return -Errno.EINVAL;
  }
}

/** lseek(2): EINVAL for a whence past SEEK_HOLE (SEEK_MAX). */
export function sysLseek(ctx: FileSyscallContext, fd: number, offset: number, whence: number): number {
  const file = ctx.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  const w = whence >>> 0;
  if (w > SEEK.SEEK_HOLE) return -Errno.EINVAL;
  return file.lseek(i64(offset), w);
}

/** fsync(2) and fdatasync(2). */
export function sysFsync(ctx: FileSyscallContext, fd: number): number {
  const file = ctx.files.get(int(fd));
  return file === null ? -Errno.EBADF : file.fsync(false);
}

export function sysFdatasync(ctx: FileSyscallContext, fd: number): number {
  const file = ctx.files.get(int(fd));
  return file === null ? -Errno.EBADF : file.fsync(true);
}

/** ftruncate(2): a negative length is EINVAL before the descriptor is looked at (do_sys_ftruncate). */
export function sysFtruncate(ctx: FileSyscallContext, fd: number, length: number): number {
  if (length < 0) return -Errno.EINVAL;
  const file = ctx.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return file.truncate(length, ctx.cred);
}
