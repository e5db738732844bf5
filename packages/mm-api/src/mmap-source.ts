import type { Mappable } from './mappable';
import type { MappingIdentity } from './mapping-identity';

/**
 * What an open file description hands the memory manager for mmap(2): the
 * object, the identity a mapping holds, and the access the descriptor allows.
 * The memory manager checks `MAP_SHARED` + `PROT_WRITE` against `writable`
 * (EACCES), and every map against `readable` (as mm/mmap.c:do_mmap).
 */
export interface MmapSource {
  /**
   * The object, or null for a file without an mmap operation (a directory):
   * do_mmap answers ENODEV for it only after its length, placement, flag and
   * access checks, so the memory manager decides when.
   */
  readonly mappable: Mappable | null;
  readonly identity: MappingIdentity | null;
  /** The descriptor was opened for reading (O_RDONLY or O_RDWR). */
  readonly readable: boolean;
  /** The descriptor was opened for writing (O_WRONLY or O_RDWR) and the file may be written. */
  readonly writable: boolean;
}

/**
 * What an open file description offers mmap(2): its `MmapSource` (Linux's
 * `file->f_op->mmap`, gVisor's `FileDescriptionImpl.ConfigureMMap`). The
 * object a mapping then translates through is the source's `Mappable`.
 */
export interface MmapSourceProvider {
  /** The source for a mapping, or `-errno` (`-ENODEV` for files that cannot be mapped). */
  mmapSource(): MmapSource | number;
}

/**
 * @deprecated Renamed `MmapSourceProvider` (the name was one letter from
 * `Mappable`, a different role); this alias goes in the next minor release.
 */
export type Mmappable = MmapSourceProvider;

/**
 * Makes shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): Linux backs it with
 * an unlinked shmem file, which is why maps shows `/dev/zero (deleted)`. The
 * composition root wires one from shmfs; the memory manager has a small
 * default for standalone use.
 */
export type SharedAnonymousFactory = (size: number) => MmapSource | number;
// Contract: the returned source's identity carries one reference owned by the
// caller (the memory manager), which it drops once its VMA holds its own; the
// object dies when the last mapping of it goes.
