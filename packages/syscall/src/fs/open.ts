import { AT_FDCWD, O } from '@tskern/abi';
import { checkOpenFlags } from '@tskern/vfs';
import { int, mode as modeArg, readPath } from './args';
import type { Task } from '@tskern/tasks';
import { startDir } from './dirfd';

/**
 * openat(2) in do_sys_openat2's order: the flags (EINVAL), the path
 * (EFAULT, ENOENT, ENAMETOOLONG), a free descriptor (EMFILE, before the file
 * is looked up or created), then the lookup and open. O_CLOEXEC sets
 * close-on-exec on the new descriptor.
 */
export function sysOpenat(task: Task, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const f = int(flags);
  const bad = checkOpenFlags(f);
  if (bad < 0) return bad;
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const fd = task.files.allocFd();
  if (fd < 0) return fd;
  const at = startDir(task, int(dirfd), path);
  const file = typeof at === 'number' ? at : task.vfs.open(task, path, f, modeArg(mode), at);
  if (typeof file === 'number') {
    task.files.freeReserved(fd);
    return file;
  }
  task.files.installAt(fd, file, (f & O.O_CLOEXEC) !== 0);
  return fd;
}

/** open(2): openat(AT_FDCWD, ...). */
export function sysOpen(task: Task, pathAddr: number, flags: number, mode: number): number {
  return sysOpenat(task, AT_FDCWD, pathAddr, flags, mode);
}

/** creat(2): open with O_CREAT|O_WRONLY|O_TRUNC. */
export function sysCreat(task: Task, pathAddr: number, mode: number): number {
  return sysOpenat(task, AT_FDCWD, pathAddr, O.O_CREAT | O.O_WRONLY | O.O_TRUNC, mode);
}

/** close(2). */
export function sysClose(task: Task, fd: number): number {
  return task.files.close(int(fd));
}
