import { Errno, SEEK, type FileOffset } from '@tskern/abi';

/**
 * mem_lseek (fs/proc/base.c), the lseek of the binary /proc files indexed by
 * page (pagemap, kpageflags, kpagecount): SEEK_SET and SEEK_CUR to any
 * offset, no end to seek from (SEEK_END and the rest are EINVAL).
 */
export function memLseek(pos: FileOffset, offset: FileOffset, whence: number): FileOffset {
  if (whence === SEEK.SEEK_SET) return offset;
  if (whence === SEEK.SEEK_CUR) return typeof pos === 'number' && typeof offset === 'number' ? pos + offset : BigInt(pos) + BigInt(offset);
  return -Errno.EINVAL;
}
