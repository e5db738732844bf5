import { Errno, O, PAGE_SIZE, S } from '@tskern/abi';
import type { Clock, FileOperations, FileSystem } from '@tskern/vfs';
import type { SysAttribute } from './attribute';
import { SysInode } from './sys-inode';

/**
 * The file of a SysAttribute (fs/sysfs/file.c over kernfs): mode 0644 when
 * it has a store, else 0444, and st_size PAGE_SIZE, as sysfs_add_file_mode_ns
 * sets for every plain attribute (the text is at most one page).
 *
 * Open for writing an attribute without a store is EACCES even for root
 * (kernfs_fop_open checks for a write operation after the VFS's mode check).
 * A read generates the text at offset 0 and reads on in that snapshot, as
 * kernfs's seq_file does; a write hands its first page to `store` whatever
 * the file position (sysfs_kf_write ignores it) and answers the count.
 */
export class AttributeFile extends SysInode {
  constructor(fs: FileSystem, ino: number, clock: Clock, private readonly attribute: SysAttribute) {
    super(fs, ino, S.S_IFREG, attribute.store !== undefined ? 0o644 : 0o444, clock);
  }

  get nlink(): number {
    return 1;
  }

  size(): number {
    return PAGE_SIZE;
  }

  open(flags: number): FileOperations | number {
    const writing = (flags & O.O_ACCMODE) !== O.O_RDONLY;
    const store = this.attribute.store?.bind(this.attribute);
    if (writing && store === undefined) return -Errno.EACCES;
    let text: Uint8Array | null = null;
    const read = (pos: number, dst: Uint8Array, dstOffset: number, length: number): number => {
      if (text === null || pos === 0) text = new TextEncoder().encode(this.attribute.show());
      const n = pos >= text.length ? 0 : Math.min(length, text.length - pos);
      dst.set(text.subarray(pos, pos + n), dstOffset);
      return n;
    };
    if (store === undefined) return { read };
    const write = (_pos: number, src: Uint8Array, srcOffset: number, length: number): number => {
      // kernfs_fop_write_iter: at most a page per write; an empty write never reaches store.
      const len = Math.min(length, PAGE_SIZE);
      if (len === 0) return 0;
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(src[srcOffset + i]!);
      // The buffer is NUL-terminated for store: text after a NUL is not seen.
      const nul = s.indexOf('\0');
      const r = store(nul < 0 ? s : s.slice(0, nul));
      return r < 0 ? r : len;
    };
    return { read, write };
  }
}
