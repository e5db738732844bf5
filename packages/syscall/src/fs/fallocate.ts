import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { fallocateFile } from '@tskern/vfs';
import { int } from './args';

/** fallocate(2) (ksys_fallocate): EBADF for a descriptor not open (O_PATH ones too), then vfs_fallocate. */
export function sysFallocate(task: Task, fd: number, mode: number, offset: number, len: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return fallocateFile(file, int(mode), offset, len);
}
