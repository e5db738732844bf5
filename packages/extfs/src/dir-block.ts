import { S } from '@tskern/abi';
import { bytesFromByteString, byteStringFromBytes } from '@tskern/vfs';
import { crc32c } from './checksums';

/** struct ext4_dir_entry_tail: 12 bytes at the end of a leaf block with metadata_csum. */
export const DIR_TAIL_SIZE = 12;
/** det_reserved_ft: the tail's fake file type. */
const TAIL_FT = 0xde;

/** EXT4_DIR_REC_LEN: an entry with a name of `nameLen` bytes, rounded to 4. */
export function recLen(nameLen: number): number {
  return (8 + nameLen + 3) & ~3;
}

/** The dirent file type of a mode (fs_umode_to_ftype: EXT4_FT_*). */
export function fileTypeOf(mode: number): number {
  switch (mode & S.S_IFMT) {
    case S.S_IFREG:
      return 1;
    case S.S_IFDIR:
      return 2;
    case S.S_IFCHR:
      return 3;
    case S.S_IFBLK:
      return 4;
    case S.S_IFIFO:
      return 5;
    case S.S_IFSOCK:
      return 6;
    case S.S_IFLNK:
      return 7;
    default:
      return 0;
  }
}

/** One directory entry as found in a block. */
export interface RawDirEntry {
  /** Byte offset in the block. */
  readonly at: number;
  readonly ino: number;
  readonly recLen: number;
  readonly name: string;
  readonly fileType: number;
}

/**
 * One linear directory block (struct ext4_dir_entry_2,
 * Documentation/filesystems/ext4/directory.rst): a chain of entries whose
 * rec_len cover the block, ending with the checksum tail when `tail` is set.
 * fs/ext4/namei.c is the reference for insertion (ext4_insert_dentry into
 * the slack of an entry) and deletion (ext4_generic_delete_entry merges into
 * the previous entry).
 */
export class DirBlock {
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    /** metadata_csum: the last 12 bytes are the tail. */
    readonly tail: boolean,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.length);
  }

  /** Where the entries end (the tail's start). */
  get end(): number {
    return this.data.length - (this.tail ? DIR_TAIL_SIZE : 0);
  }

  /** An empty block: one unused entry spanning it, and the tail. */
  static format(data: Uint8Array, tail: boolean): DirBlock {
    data.fill(0);
    const b = new DirBlock(data, tail);
    b.view.setUint16(4, b.end, true);
    if (tail) b.writeTail();
    return b;
  }

  private writeTail(): void {
    const at = this.end;
    this.view.setUint32(at, 0, true);
    this.view.setUint16(at + 4, DIR_TAIL_SIZE, true);
    this.data[at + 6] = 0;
    this.data[at + 7] = TAIL_FT;
  }

  /** Whether the block ends with a well-formed tail (else a block written without one). */
  hasTail(): boolean {
    const at = this.data.length - DIR_TAIL_SIZE;
    return this.view.getUint32(at, true) === 0 && this.view.getUint16(at + 4, true) === DIR_TAIL_SIZE && this.data[at + 7] === TAIL_FT;
  }

  /** Every entry, used or not, in block order; stops at a malformed rec_len (corruption). */
  *entries(): Generator<RawDirEntry> {
    const end = this.tail && this.hasTail() ? this.end : this.data.length;
    for (let at = 0; at + 8 <= end; ) {
      const len = this.view.getUint16(at + 4, true);
      const nameLen = this.data[at + 6]!;
      if (len < 8 || at + len > end || (len & 3) !== 0 || 8 + nameLen > len) return;
      yield {
        at,
        ino: this.view.getUint32(at, true),
        recLen: len,
        name: byteStringFromBytes(this.data.subarray(at + 8, at + 8 + nameLen)),
        fileType: this.data[at + 7]!,
      };
      at += len;
    }
  }

  /** The used entry named `name`. */
  find(name: string): RawDirEntry | undefined {
    for (const e of this.entries()) if (e.ino !== 0 && e.name === name) return e;
    return undefined;
  }

  /** Put `name` in the block if it has room (ext4_find_dest_de + ext4_insert_dentry): true when added. */
  insert(name: string, ino: number, fileType: number): boolean {
    const bytes = bytesFromByteString(name);
    const need = recLen(bytes.length);
    for (const e of this.entries()) {
      const used = e.ino === 0 ? 0 : recLen(e.name.length);
      if (e.recLen - used < need) continue;
      let at = e.at;
      let len = e.recLen;
      if (e.ino !== 0) {
        this.view.setUint16(e.at + 4, used, true);
        at = e.at + used;
        len = e.recLen - used;
      }
      this.put(at, ino, len, bytes, fileType);
      return true;
    }
    return false;
  }

  private put(at: number, ino: number, len: number, name: Uint8Array, fileType: number): void {
    this.view.setUint32(at, ino, true);
    this.view.setUint16(at + 4, len, true);
    this.data[at + 6] = name.length;
    this.data[at + 7] = fileType;
    this.data.set(name, at + 8);
  }

  /** Point the entry at `at` to another inode (rename over an existing name, ".." of a moved directory). */
  retarget(at: number, ino: number, fileType: number): void {
    this.view.setUint32(at, ino, true);
    this.data[at + 7] = fileType;
  }

  /** Remove the entry at `at`: merged into the one before it, or marked unused when first. */
  remove(at: number): void {
    let prev = -1;
    for (const e of this.entries()) {
      if (e.at === at) break;
      prev = e.at;
    }
    if (prev >= 0) {
      this.view.setUint16(prev + 4, this.view.getUint16(prev + 4, true) + this.view.getUint16(at + 4, true), true);
    } else this.view.setUint32(at, 0, true);
  }

  /** ext4_dirblock_csum_set: crc32c from the directory inode's seed over the entries, into the tail. */
  seal(inodeSeed: number): void {
    if (!this.tail) return;
    if (!this.hasTail()) this.writeTail();
    this.view.setUint32(this.end + 8, crc32c(inodeSeed, this.data, 0, this.end), true);
  }
}
