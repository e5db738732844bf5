import { Errno, S } from '@tskern/abi';
import type { DirEntry } from '@tskern/vfs';
import { ExtError } from './block-cache';
import { DirBlock, fileTypeOf, recLen } from './dir-block';
import { INODE_FL } from './disk-inode';
import type { ExtFs } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { INCOMPAT } from './superblock';

/** EXT4_FT_* back to the S_IFMT bits readdir reports. */
const TYPE_OF_FT = [0, S.S_IFREG, S.S_IFDIR, S.S_IFCHR, S.S_IFBLK, S.S_IFIFO, S.S_IFSOCK, S.S_IFLNK];

/** Where a name was found. */
export interface FoundEntry {
  readonly ino: number;
  readonly block: number;
  readonly at: number;
}

/**
 * The entries of one directory inode, block by block (fs/ext4/namei.c,
 * fs/ext4/dir.c). Every directory is read linearly: an htree (dir_index)
 * directory's interior blocks look like empty entries. Before the first
 * change to an htree directory its index is dropped (the INDEX flag
 * cleared, the root block made a plain block), which keeps it valid for
 * e2fsck and Linux, which reads such a directory linearly too.
 */
export class Directory {
  private readonly bs: number;
  private readonly csum: boolean;

  constructor(
    private readonly fs: ExtFs,
    private readonly dir: ExtInode,
  ) {
    this.bs = fs.blockSize;
    this.csum = fs.csumSeed !== null;
  }

  /** ext4_init_new_dir: block 0 with "." and "..", i_size one block. */
  static init(fs: ExtFs, inode: ExtInode, parentIno: number): void {
    const physical = inode.blockFor(0);
    const block = DirBlock.format(fs.cache.fresh(physical), fs.csumSeed !== null);
    block.insert('.', inode.ino, fileTypeOf(S.S_IFDIR));
    block.insert('..', parentIno, fileTypeOf(S.S_IFDIR));
    inode.disk.size = fs.blockSize;
    Directory.seal(fs, inode, block, physical);
  }

  private static seal(fs: ExtFs, inode: ExtInode, block: DirBlock, physical: number): void {
    const seed = inode.csumSeed();
    if (seed !== null) block.seal(seed);
    fs.cache.markDirty(physical);
  }

  /** The directory's blocks: logical index, physical number, parsed block (holes skipped). */
  private *blocks(): Generator<{ logical: number; physical: number; block: DirBlock }> {
    const count = Math.ceil(this.dir.size() / this.bs);
    for (let l = 0; l < count; l++) {
      const m = this.dir.map().lookup(l);
      if (m === null) continue;
      yield { logical: l, physical: m.physical, block: new DirBlock(this.fs.cache.get(m.physical), this.csum) };
    }
  }

  find(name: string): FoundEntry | undefined {
    if (!this.dir.isDirectory) throw new ExtError(Errno.ENOTDIR);
    for (const { physical, block } of this.blocks()) {
      const e = block.find(name);
      if (e !== undefined) return { ino: e.ino, block: physical, at: e.at };
    }
    return undefined;
  }

  /** readdir from position `offset`: positions are byte offsets in the directory plus 2 (0 and 1 are the VFS's). */
  *list(offset: number): Generator<DirEntry> {
    for (const { logical, block } of this.blocks()) {
      for (const e of block.entries()) {
        if (e.ino === 0 || e.name === '.' || e.name === '..') continue;
        const pos = logical * this.bs + e.at + 2;
        if (pos < offset) continue;
        let type = TYPE_OF_FT[e.fileType] ?? 0;
        if (type === 0) {
          // No filetype feature: the inode says.
          const inode = this.fs.inode(e.ino);
          type = typeof inode === 'number' ? 0 : inode.mode & S.S_IFMT;
        }
        yield { name: e.name, ino: e.ino, type, offset: pos };
      }
    }
  }

  isEmpty(): boolean {
    for (const { block } of this.blocks()) {
      for (const e of block.entries()) if (e.ino !== 0 && e.name !== '.' && e.name !== '..') return false;
    }
    return true;
  }

  /**
   * ext4_add_entry without the index: the first block with room, or a new
   * block at the end (ENOSPC thrown when none can be had).
   */
  add(name: string, inode: ExtInode): void {
    this.unindex();
    const ft = this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(inode.mode) : 0;
    for (const { physical, block } of this.blocks()) {
      if (block.insert(name, inode.ino, ft)) {
        Directory.seal(this.fs, this.dir, block, physical);
        return;
      }
    }
    if (recLen(name.length) > this.bs) throw new ExtError(Errno.ENAMETOOLONG);
    const logical = Math.ceil(this.dir.size() / this.bs);
    const physical = this.dir.blockFor(logical);
    const block = DirBlock.format(this.fs.cache.fresh(physical), this.csum);
    block.insert(name, inode.ino, ft);
    this.dir.disk.size = (logical + 1) * this.bs;
    Directory.seal(this.fs, this.dir, block, physical);
    this.dir.save();
  }

  /** ext4_delete_entry. */
  remove(name: string): void {
    this.unindex();
    for (const { physical, block } of this.blocks()) {
      const e = block.find(name);
      if (e === undefined) continue;
      block.remove(e.at);
      Directory.seal(this.fs, this.dir, block, physical);
      return;
    }
    throw new ExtError(Errno.ENOENT);
  }

  /** Point the existing name at another inode (rename over it). */
  retarget(name: string, inode: ExtInode): void {
    this.unindex();
    const found = this.find(name);
    if (found === undefined) throw new ExtError(Errno.ENOENT);
    const block = new DirBlock(this.fs.cache.get(found.block), this.csum);
    block.retarget(found.at, inode.ino, this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(inode.mode) : 0);
    Directory.seal(this.fs, this.dir, block, found.block);
  }

  /** The ".." entry now names `parentIno` (a directory moved by rename). */
  setParent(parentIno: number): void {
    this.unindex();
    const found = this.find('..');
    if (found === undefined) throw new ExtError(Errno.EIO);
    const block = new DirBlock(this.fs.cache.get(found.block), this.csum);
    block.retarget(found.at, parentIno, this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(S.S_IFDIR) : 0);
    Directory.seal(this.fs, this.dir, block, found.block);
  }

  /**
   * Drop an htree index: the root block keeps "." and ".." only, interior
   * index blocks become empty blocks, the INDEX flag goes. The leaves hold
   * every entry already.
   */
  private unindex(): void {
    if ((this.dir.disk.flags & INODE_FL.INDEX) === 0) return;
    for (const { logical, physical, block } of [...this.blocks()]) {
      const first = block.entries().next().value;
      const self = logical === 0 ? block.find('.') : undefined;
      const parent = logical === 0 ? block.find('..') : undefined;
      if (logical === 0 && self !== undefined && parent !== undefined) {
        const fresh = DirBlock.format(block.data, this.csum);
        fresh.insert('.', self.ino, self.fileType);
        fresh.insert('..', parent.ino, parent.fileType);
        Directory.seal(this.fs, this.dir, fresh, physical);
      } else if (first === undefined || (first.ino === 0 && first.recLen === this.bs)) {
        Directory.seal(this.fs, this.dir, DirBlock.format(block.data, this.csum), physical);
      }
    }
    this.dir.disk.flags = this.dir.disk.flags & ~INODE_FL.INDEX;
    this.dir.save();
  }
}
