import { Errno, S } from '@tskern/abi';
import { FileMappingHandle } from '@tskern/file-mapping';
import type { MmapSource, SharedAnonymousFactory } from '@tskern/mm-api';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { RamFs } from '@tskern/ramfs';
import { invariant } from '@tskern/assert';
import { createShmFs } from './shm-fs';

/** Options of the shared anonymous memory factory. */
export interface SharedAnonymousOptions {
  readonly frames: FrameAllocator;
  /**
   * st_dev of the internal shm mount: Linux's shm_mnt is usually the first
   * anonymous device, which maps show as `00:01`.
   */
  readonly deviceId?: number;
}

/**
 * The SharedAnonymousFactory for MAP_SHARED|MAP_ANONYMOUS, as
 * mm/shmem.c:shmem_zero_setup: each mapping gets an unlinked tmpfs file of
 * the mapping's size on an internal mount that is in no tree (shm_mnt), named
 * "dev/zero" — which is why maps shows `/dev/zero (deleted)`. The object is
 * then a RamFile like any shm segment (same page cache, reverse map, MADV_REMOVE
 * and mincore behaviour) and dies with its last mapping.
 *
 * Contract (mm-api): the returned identity carries one reference owned by
 * the caller, which drops it once its VMA holds its own.
 */
export function createSharedAnonymousFactory(options: SharedAnonymousOptions): SharedAnonymousFactory {
  const fs: RamFs = createShmFs({ frames: options.frames, deviceId: options.deviceId ?? 1 });
  const root = fs.root();
  return (size: number): MmapSource | number => {
    if (!Number.isSafeInteger(size) || size <= 0) return -Errno.EINVAL;
    // shmem_kernel_file_setup: S_IFREG | S_IRWXUGO, owned by root, nlink 0.
    const file = fs.tmpfile(root, { mode: S.S_IFREG | S.S_IRWXU | S.S_IRWXG | S.S_IRWXO, uid: 0, gid: 0 });
    if (typeof file === 'number') return file;
    const err = file.setattr({ size });
    if (err < 0) return err;
    const mappable = file.mappable?.() ?? null;
    invariant(mappable !== null, 'tmpfs files are mappable');
    const identity = FileMappingHandle.anonymous(file, '/dev/zero');
    identity.incRef(); // the caller's reference
    return { mappable, identity, readable: true, writable: true };
  };
}
