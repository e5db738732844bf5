import { Errno, PAGE_SIZE, type Status } from '@tskern/abi';
import { PagedBuffer } from '@tskern/buf';
import {
  MappingSet, TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type TranslateResult, type MappingIdentity, type MappingSpace,
  type MmapSource, type SharedAnonymousFactory,
} from '@tskern/mm-api';
import { NO_FRAME, PG, type FrameAllocator } from '@tskern/pagealloc';

/**
 * A standalone shared anonymous object: a paged buffer of the mapping's size
 * that every sharer maps, freed with the last mapping. The default kernel uses
 * shmfs's unlinked files instead (so it shows in the same inode space); this
 * one lets `@tskern/mman` run alone.
 */
class SharedAnonymousObject implements Mappable, MappingIdentity {
  private refs = 1;
  private readonly data: PagedBuffer;
  /** The reverse map (mm-api's, shared with the file systems' files). */
  private readonly mappings = new MappingSet();

  constructor(
    readonly frames: FrameAllocator,
    size: number,
    private readonly ino: number,
  ) {
    // Shared anonymous memory is shmem: swap-backed pages on an LRU list (shmem_zero_setup).
    this.data = new PagedBuffer(frames, { pageFlags: PG.UPTODATE | PG.SWAPBACKED | PG.LRU });
    this.data.resize(size);
  }

  addMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.mappings.add(space, start, end, offset, writable);
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.mappings.remove(space, start, end, offset, writable);
  }

  removeAllMappings(space: MappingSpace): void {
    this.mappings.removeSpace(space);
  }

  translate(offset: number, write: boolean): TranslateResult {
    if (offset >= this.data.size) return TRANSLATE_SIGBUS;
    const frame = this.data.getOrAllocFrame(offset / PAGE_SIZE);
    if (frame === NO_FRAME) return TRANSLATE_NOMEM;
    // A store faults the page in dirty (fault_dirty_shared_page), a load clean.
    if (write) this.data.markDirty(offset / PAGE_SIZE);
    return frame;
  }

  isResident(offset: number): boolean {
    return offset < this.data.size && this.data.frameAt(offset / PAGE_SIZE) !== NO_FRAME;
  }

  size(): number | bigint {
    return this.data.size;
  }

  punchHole(offset: number, length: number): Status {
    // Private copies stay (MADV_REMOVE, as shmem_fallocate's unmap_mapping_range with even_cows 0).
    this.mappings.invalidate(offset, offset + length, false);
    this.data.punchHole(offset, length);
    return 0;
  }

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    if (--this.refs === 0) this.data.release();
  }

  mappedName(): string {
    return '/dev/zero (deleted)';
  }

  deviceId(): number {
    return 1; // 00:01, the internal shm mount
  }

  inodeId(): number {
    return this.ino;
  }

  sync(): Status {
    return 0;
  }
}

/** A SharedAnonymousFactory that needs nothing but a frame allocator. */
export function standaloneSharedAnonymous(frames: FrameAllocator): SharedAnonymousFactory {
  let nextIno = 1;
  return (size: number): MmapSource | number => {
    if (size <= 0) return -Errno.EINVAL;
    const object = new SharedAnonymousObject(frames, size, nextIno++);
    return { mappable: object, identity: object, readable: true, writable: true };
  };
}
