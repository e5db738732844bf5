import { Errno, S } from '@tskern/abi';
import type { PhysicalPageSource } from '@tskern/mm-api';
import type { Clock, FileOperations, FileSystem } from '@tskern/vfs';
import { memLseek } from './mem-lseek';
import { ProcInode } from './proc-inode';

/** Bytes per entry (KPMSIZE). */
const ENTRY_BYTES = 8;

/** Which table of physical memory a file shows. */
type KpageTable = 'flags' | 'count' | 'cgroup';

/**
 * /proc/kpageflags, /proc/kpagecount and /proc/kpagecgroup (fs/proc/page.c): one 64-bit
 * little-endian entry per page frame, frame N at offset N * 8, the frame
 * numbers /proc/[pid]/pagemap shows. proc_create gives them S_IRUSR and
 * root's ownership and no check of their own: the mode is the whole
 * protection (a root process opens them, others get EACCES from the VFS).
 * A read at a position or of a count off the 8-byte steps is EINVAL
 * (KPMMASK); at and past the last frame it reads 0 bytes; lseek is mem_lseek.
 * Root may open them for writing (CAP_DAC_OVERRIDE); a write is EIO.
 */
export class ProcKpageFile extends ProcInode {
  readonly uid = 0;
  readonly gid = 0;

  constructor(
    fs: FileSystem,
    ino: number,
    clock: Clock,
    private readonly source: PhysicalPageSource,
    private readonly table: KpageTable,
  ) {
    super(fs, ino, clock);
  }

  get mode(): number {
    return S.S_IFREG | 0o400;
  }

  get nlink(): number {
    return 1;
  }

  open(): FileOperations {
    const source = this.source;
    const table = this.table;
    return {
      read: (pos, dst, dstOffset, length) => {
        if (pos % ENTRY_BYTES !== 0 || length % ENTRY_BYTES !== 0) return -Errno.EINVAL;
        const first = pos / ENTRY_BYTES;
        const count = Math.min(length / ENTRY_BYTES, source.endPfn - first);
        if (count <= 0) return 0;
        const entries = table === 'flags' ? source.flags(first, count) : table === 'count' ? source.mapCounts(first, count) : source.cgroupInodes!(first, count);
        const view = new DataView(dst.buffer, dst.byteOffset + dstOffset, count * ENTRY_BYTES);
        for (let i = 0; i < count; i++) view.setBigUint64(i * ENTRY_BYTES, entries[i]!, true);
        return count * ENTRY_BYTES;
      },
      // proc_reg_write: a proc entry without proc_write answers EIO (root may open it for writing).
      write: () => -Errno.EIO,
      llseek: memLseek,
    };
  }
}
