import { Errno, O, S } from '@tskern/abi';
import type { Clock, FileOperations, FileSystem, FsCaller } from '@tskern/vfs';
import type { Cgroup } from './cgroup';
import type { CgroupHierarchy } from './cgroup-hierarchy';
import { CgroupInode } from './cgroup-inode';
import type { InterfaceFile } from './interface-files';

/** Bytes a write hands to the file at most: kernfs's buffer of one page. */
const MAX_WRITE = 4096;

/**
 * An interface file of a group (kernel/cgroup/cgroup.c cgroup_file_*):
 * mode 0644 when it can be written, else 0444; st_size 0. A read makes the
 * text at offset 0 and reads on in that snapshot (seq_file); a write hands
 * the whole buffer (up to a page) to the file's store and answers the
 * count, or store's -errno. Opening one without a store for writing is
 * EACCES.
 */
export class CgroupFile extends CgroupInode {
  constructor(
    fs: FileSystem,
    ino: number,
    clock: Clock,
    private readonly group: Cgroup,
    private readonly hierarchy: CgroupHierarchy,
    private readonly file: InterfaceFile,
  ) {
    super(fs, ino, S.S_IFREG, file.store !== undefined ? 0o644 : 0o444, 0, 0, clock);
  }

  get nlink(): number {
    return 1;
  }

  size(): number {
    return 0;
  }

  open(flags: number, caller: FsCaller): FileOperations | number {
    const writing = (flags & O.O_ACCMODE) !== O.O_RDONLY;
    const store = this.file.store;
    if (writing && store === undefined) return -Errno.EACCES;
    let text: Uint8Array | null = null;
    const read = (pos: number, dst: Uint8Array, dstOffset: number, length: number): number => {
      if (text === null || pos === 0) text = new TextEncoder().encode(this.file.show(this.group, this.hierarchy));
      const n = pos >= text.length ? 0 : Math.min(length, text.length - pos);
      dst.set(text.subarray(pos, pos + n), dstOffset);
      return n;
    };
    if (store === undefined) return { read };
    const write = (_pos: number, src: Uint8Array, srcOffset: number, length: number): number => {
      if (length === 0) return 0;
      if (length > MAX_WRITE) return -Errno.E2BIG;
      const t = new TextDecoder().decode(src.subarray(srcOffset, srcOffset + length));
      const nul = t.indexOf('\0');
      const r = store(this.group, this.hierarchy, nul < 0 ? t : t.slice(0, nul), caller.pid);
      return r < 0 ? r : length;
    };
    return { read, write };
  }
}
