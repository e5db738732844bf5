import { Errno, F, S, SEEK, type FileOffset } from '@tskern/abi';
import { limitNewSize } from './file-size-limit';
import { int } from './args';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { fcntlRecordLock, isRecordLockCommand } from './file-locks';

/** dup(2). */
export function sysDup(task: Task, fd: number): number {
  return task.files.dup(int(fd));
}

/** dup2(2). */
export function sysDup2(task: Task, oldFd: number, newFd: number): number {
  return task.files.dup2(int(oldFd), int(newFd));
}

/** dup3(2). */
export function sysDup3(task: Task, oldFd: number, newFd: number, flags: number): number {
  return task.files.dup3(int(oldFd), int(newFd), int(flags));
}

/** fcntl commands an O_PATH descriptor allows (check_fcntl_cmd). */
const PATH_FCNTL: readonly number[] = [F.F_DUPFD, F.F_DUPFD_CLOEXEC, F.F_GETFD, F.F_SETFD, F.F_GETFL];

/**
 * fcntl(2): F_DUPFD/F_DUPFD_CLOEXEC (lowest free descriptor >= arg),
 * F_GETFD/F_SETFD (close-on-exec), F_GETFL/F_SETFL (status flags), the
 * record locks (F_GETLK, F_SETLK, F_SETLKW, F_OFD_*). Other
 * commands are EINVAL; on an O_PATH descriptor only the first five work.
 */
export function sysFcntl(task: Task, fd: number, cmd: number, arg: number): SyscallReturn {
  const n = int(fd);
  const file = task.files.get(n);
  if (file === null) return -Errno.EBADF;
  const c = int(cmd);
  if (file.isPathOnly && !PATH_FCNTL.includes(c)) return -Errno.EBADF;
  switch (c) {
    case F.F_DUPFD:
      return task.files.dupFrom(n, int(arg), false);
    case F.F_DUPFD_CLOEXEC:
      return task.files.dupFrom(n, int(arg), true);
    case F.F_GETFD:
      return task.files.getFdFlags(n);
    case F.F_SETFD:
      return task.files.setFdFlags(n, int(arg));
    case F.F_GETFL:
      return file.getFlags();
    case F.F_SETFL:
      return file.setFlags(int(arg), task.cred);
    default:
      // F_GETLK, F_SETLK, F_SETLKW and the F_OFD_* forms (file-locks.ts).
      return isRecordLockCommand(c) ? fcntlRecordLock(task, file, n, c, arg) : -Errno.EINVAL;
  }
}

/** lseek(2): EINVAL for a whence past SEEK_HOLE (SEEK_MAX). */
export function sysLseek(task: Task, fd: number, offset: FileOffset, whence: number): FileOffset {
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  const w = whence >>> 0;
  if (w > SEEK.SEEK_HOLE) return -Errno.EINVAL;
  return file.lseek(offset, w);
}

/** fsync(2) and fdatasync(2). */
export function sysFsync(task: Task, fd: number): number {
  const file = task.files.get(int(fd));
  return file === null ? -Errno.EBADF : file.fsync(false);
}

export function sysFdatasync(task: Task, fd: number): number {
  const file = task.files.get(int(fd));
  return file === null ? -Errno.EBADF : file.fsync(true);
}

/** sync(2) (ksys_sync): every mounted file system written back; errors are not reported. */
export function sysSync(task: Task): number {
  task.vfs.syncAll();
  return 0;
}

/** syncfs(2): the file system of `fd` written back (sync_filesystem); EBADF without an fd, O_PATH included (fdget). */
export function sysSyncfs(task: Task, fd: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return file.inode.fs.sync?.() ?? 0;
}

/**
 * ftruncate(2): a negative length is EINVAL before the descriptor is looked
 * at (do_sys_ftruncate); growing past RLIMIT_FSIZE is EFBIG with SIGXFSZ.
 */
export function sysFtruncate(task: Task, fd: number, length: FileOffset): number {
  if (length < 0) return -Errno.EINVAL;
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  if (file.writable && (file.inode.mode & S.S_IFMT) === S.S_IFREG) {
    const err = limitNewSize(task, file.inode.size(), length);
    if (err < 0) return err;
  }
  return file.truncate(length, task.cred);
}
