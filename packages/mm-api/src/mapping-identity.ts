import type { Status } from '@tskern/abi';

/**
 * The open file behind a mapping, as the mapping holds it: a counted
 * reference that keeps the file alive after close(2) and unlink(2), and what
 * `/proc/[pid]/maps` prints for it. Compare gVisor's memmap.MappingIdentity and
 * Linux's `vma->vm_file`.
 */
export interface MappingIdentity {
  incRef(): void;
  decRef(): void;
  /** The maps path column: `/dev/shm/seg`, `/tmp/x (deleted)`, `/dev/zero (deleted)`. */
  mappedName(): string;
  /** st_dev and st_ino for the maps line. */
  deviceId(): number;
  inodeId(): number;
  /**
   * Write dirty data of [offset, offset + length) back to the backing store
   * (msync MS_SYNC, last unmap). Returns 0 or `-errno` (`-EIO`: the dirty data
   * stays in the cache).
   */
  sync(offset: number, length: number): Status;
}
