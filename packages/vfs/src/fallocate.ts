import { Errno, FALLOC_FL, MAX_LFS_FILESIZE, offsetAdd, S, type FileOffset } from '@tskern/abi';
import type { OpenFileDescription } from './open-file-description';

/** FALLOC_FL_MODE_MASK: the exclusive modes (ALLOCATE_RANGE is no bit). */
const MODE_MASK =
  FALLOC_FL.FALLOC_FL_PUNCH_HOLE |
  FALLOC_FL.FALLOC_FL_COLLAPSE_RANGE |
  FALLOC_FL.FALLOC_FL_ZERO_RANGE |
  FALLOC_FL.FALLOC_FL_INSERT_RANGE |
  FALLOC_FL.FALLOC_FL_UNSHARE_RANGE |
  FALLOC_FL.FALLOC_FL_WRITE_ZEROES;

/**
 * fallocate(2) on an open file, as fs/open.c vfs_fallocate, in its order:
 * EINVAL for a negative offset or a length <= 0; EOPNOTSUPP for an unknown
 * bit, PUNCH_HOLE without KEEP_SIZE, or KEEP_SIZE with COLLAPSE/INSERT/
 * WRITE_ZEROES; EBADF unless open for writing; ESPIPE on a FIFO, EISDIR on a
 * directory, ENODEV on anything but a regular file; EFBIG past the file
 * system's largest size; then the file (EOPNOTSUPP when it has no fallocate).
 */
export function fallocateFile(file: OpenFileDescription, mode: number, offset: FileOffset, length: FileOffset): number {
  if (offset < 0 || length <= 0) return -Errno.EINVAL;
  if ((mode & ~(MODE_MASK | FALLOC_FL.FALLOC_FL_KEEP_SIZE)) !== 0) return -Errno.EOPNOTSUPP;
  const keep = (mode & FALLOC_FL.FALLOC_FL_KEEP_SIZE) !== 0;
  switch (mode & MODE_MASK) {
    case 0:
    case FALLOC_FL.FALLOC_FL_UNSHARE_RANGE:
    case FALLOC_FL.FALLOC_FL_ZERO_RANGE:
      break;
    case FALLOC_FL.FALLOC_FL_PUNCH_HOLE:
      if (!keep) return -Errno.EOPNOTSUPP;
      break;
    case FALLOC_FL.FALLOC_FL_COLLAPSE_RANGE:
    case FALLOC_FL.FALLOC_FL_INSERT_RANGE:
    case FALLOC_FL.FALLOC_FL_WRITE_ZEROES:
      if (keep) return -Errno.EOPNOTSUPP;
      break;
    default:
      return -Errno.EOPNOTSUPP;
  }
  if (!file.writable) return -Errno.EBADF;
  const inode = file.inode;
  const type = inode.mode & S.S_IFMT;
  if (type === S.S_IFIFO) return -Errno.ESPIPE;
  if (type === S.S_IFDIR) return -Errno.EISDIR;
  if (type !== S.S_IFREG && type !== S.S_IFBLK) return -Errno.ENODEV;
  // offset + len past s_maxbytes, or past LLONG_MAX (a negative sum in C), is EFBIG;
  // the sum is exact here (Linux 6.18 tmpfs: KEEP_SIZE at 2^63 - 4096 for 4096 bytes is EFBIG, 4095 is not).
  const end = offsetAdd(offset, length);
  if (end > MAX_LFS_FILESIZE || end > inode.fs.maxFileSize) return -Errno.EFBIG;
  if (inode.fallocate === undefined) return -Errno.EOPNOTSUPP;
  return inode.fallocate(mode, offset, length);
}
