import { Errno, PAGE_SIZE, type Status } from '@tskern/abi';
import { PagedBuffer } from '@tskern/buf';
import {
  TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type TranslateResult, type MappingIdentity, type MappingSpace,
  type MmapSource, type SharedAnonymousFactory,
} from '@tskern/mm-api';
import { NO_FRAME, type FrameAllocator } from '@tskern/pagealloc';

interface Registration {
  space: MappingSpace;
  start: number;
  end: number;
  offset: number;
}

/**
 * A standalone shared anonymous object: a paged buffer of the mapping's size
 * that every sharer maps, freed with the last mapping. The default kernel uses
 * shmfs's unlinked files instead (so it shows in the same inode space); this
 * one lets `@tskern/mman` run alone.
 */
class SharedAnonymousObject implements Mappable, MappingIdentity {
  private refs = 1;
  private readonly data: PagedBuffer;
  /**
   * The reverse map, keyed by space and start so that a registration leaves
   * in O(1): an exit with N mappings of one object stays linear (Linux keeps
   * `i_mmap` in an interval tree for the same reason). A space has one start
   * registered at most twice at once (while a VMA is split).
   */
  private readonly mappings = new Map<MappingSpace, Map<number, Registration[]>>();

  constructor(
    readonly frames: FrameAllocator,
    size: number,
    private readonly ino: number,
  ) {
    this.data = new PagedBuffer(frames);
    this.data.resize(size);
  }

  addMapping(space: MappingSpace, start: number, end: number, offset: number): void {
    let byStart = this.mappings.get(space);
    if (byStart === undefined) {
      byStart = new Map();
      this.mappings.set(space, byStart);
    }
    const list = byStart.get(start);
    if (list === undefined) byStart.set(start, [{ space, start, end, offset }]);
    else list.push({ space, start, end, offset });
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number): void {
    const byStart = this.mappings.get(space);
    const list = byStart?.get(start);
    if (byStart === undefined || list === undefined) return;
    const i = list.findIndex((m) => m.end === end && m.offset === offset);
    if (i < 0) return;
    if (list.length > 1) {
      list.splice(i, 1);
      return;
    }
    byStart.delete(start);
    if (byStart.size === 0) this.mappings.delete(space);
  }

  removeAllMappings(space: MappingSpace): void {
    this.mappings.delete(space);
  }

  translate(offset: number): TranslateResult {
    if (offset >= this.data.size) return TRANSLATE_SIGBUS;
    const frame = this.data.getOrAllocFrame(offset / PAGE_SIZE);
    return frame === NO_FRAME ? TRANSLATE_NOMEM : frame;
  }

  isResident(offset: number): boolean {
    return offset < this.data.size && this.data.frameAt(offset / PAGE_SIZE) !== NO_FRAME;
  }

  size(): number {
    return this.data.size;
  }

  punchHole(offset: number, length: number): Status {
    const all = [...this.mappings.values()].flatMap((byStart) => [...byStart.values()].flat());
    for (const m of all) {
      const from = Math.max(offset, m.offset);
      const to = Math.min(offset + length, m.offset + (m.end - m.start));
      if (from < to) m.space.invalidate(m.start + (from - m.offset), m.start + (to - m.offset), false);
    }
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
