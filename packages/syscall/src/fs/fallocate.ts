import { Errno, FALLOC_FL, offsetAdd, S, type FileOffset } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { fallocateFile } from '@tskern/vfs';
import { int } from './args';
import { limitNewSize } from './file-size-limit';

/** fallocate(2) (ksys_fallocate): EBADF for a descriptor not open (O_PATH ones too), then RLIMIT_FSIZE, then vfs_fallocate. */
export function sysFallocate(task: Task, fd: number, mode: number, offset: FileOffset, len: FileOffset): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  const m = int(mode);
  // shmem_fallocate's inode_newsize_ok(offset + len), KEEP_SIZE too; punching skips it.
  if ((m & ~FALLOC_FL.FALLOC_FL_KEEP_SIZE) === 0 && offset >= 0 && len > 0 && file.writable && (file.inode.mode & S.S_IFMT) === S.S_IFREG) {
    const err = limitNewSize(task, file.inode.size(), offsetAdd(offset, len));
    if (err < 0) return err;
  }
  return fallocateFile(file, m, offset, len);
}
