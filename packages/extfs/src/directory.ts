import { Errno, S } from '@tskern/abi';
import { bytesFromByteString } from '@tskern/vfs';
import type { DirEntry } from '@tskern/vfs';
import { ExtError } from './block-cache';
import { DirBlock, fileTypeOf, recLen, type RawDirEntry } from './dir-block';
import { DX_HASH, dirHash } from './dir-hash';
import { DxIndex, type DxLeaf } from './dx-index';
import { INODE_FL } from './disk-inode';
import type { ExtFs } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { COMPAT, INCOMPAT } from './superblock';

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
 * fs/ext4/dir.c). An htree (dir_index) directory keeps its index: lookups
 * hash the name and search its leaf (dx_find_entry), an entry goes into
 * its leaf, which splits in two by hash when full (dx_add_entry,
 * do_split), removal leaves the index as it is (ext4_delete_entry), and a
 * one-block directory that needs a second block becomes indexed
 * (make_indexed_dir) when the file system has dir_index. readdir reads
 * every directory linearly (offsets are byte positions, where Linux gives
 * hash cookies for indexed ones). An index this package cannot read (two
 * levels, an unknown hash) is dropped before the first change, which
 * e2fsck and Linux accept.
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
    const idx = this.index();
    if (idx !== null && name !== '.' && name !== '..') return this.dxFind(idx, name);
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
    const ft = this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(inode.mode) : 0;
    const idx = this.index();
    if (idx !== null) {
      this.dxAdd(idx, name, inode.ino, ft);
      return;
    }
    this.unindex();
    for (const { physical, block } of this.blocks()) {
      if (block.insert(name, inode.ino, ft)) {
        Directory.seal(this.fs, this.dir, block, physical);
        return;
      }
    }
    if (recLen(name.length) > this.bs) throw new ExtError(Errno.ENAMETOOLONG);
    // ext4_add_entry: a one-block directory that is full becomes indexed (make_indexed_dir).
    if (this.dir.size() === this.bs && this.fs.sb.has('compat', COMPAT.DIR_INDEX) && this.fs.sb.defHashVersion <= DX_HASH.TEA) {
      this.makeIndexed();
      this.dxAdd(this.index()!, name, inode.ino, ft);
      return;
    }
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
    const found = this.find(name);
    if (found === undefined) throw new ExtError(Errno.ENOENT);
    const block = new DirBlock(this.fs.cache.get(found.block), this.csum);
    block.remove(found.at);
    Directory.seal(this.fs, this.dir, block, found.block);
  }

  /** Point the existing name at another inode (rename over it). */
  retarget(name: string, inode: ExtInode): void {
    const found = this.find(name);
    if (found === undefined) throw new ExtError(Errno.ENOENT);
    const block = new DirBlock(this.fs.cache.get(found.block), this.csum);
    block.retarget(found.at, inode.ino, this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(inode.mode) : 0);
    Directory.seal(this.fs, this.dir, block, found.block);
  }

  /** The ".." entry now names `parentIno` (a directory moved by rename). */
  setParent(parentIno: number): void {
    const idx = this.index();
    if (idx === null) this.unindex();
    const found = this.find('..');
    if (found === undefined) throw new ExtError(Errno.EIO);
    const block = new DirBlock(this.fs.cache.get(found.block), this.csum);
    block.retarget(found.at, parentIno, this.fs.sb.has('incompat', INCOMPAT.FILETYPE) ? fileTypeOf(S.S_IFDIR) : 0);
    if (idx === null) Directory.seal(this.fs, this.dir, block, found.block);
    else this.writeIndex(idx); // the root block's checksum covers ".."
  }

  // ---- the htree index ----

  /** The index of an htree directory this package reads, else null (linear). */
  private index(): DxIndex | null {
    if ((this.dir.disk.flags & INODE_FL.INDEX) === 0 || !this.fs.sb.has('compat', COMPAT.DIR_INDEX)) return null;
    const root = this.dir.map().lookup(0);
    if (root === null) return null;
    return DxIndex.read(this.fs.cache.get(root.physical), (l) => this.blockAt(l), this.csum);
  }

  /** The bytes of logical block `logical` (EIO for a hole inside an index). */
  private blockAt(logical: number): Uint8Array {
    const m = this.dir.map().lookup(logical);
    if (m === null) throw new ExtError(Errno.EIO);
    return this.fs.cache.get(m.physical);
  }

  private physicalOf(logical: number): number {
    const m = this.dir.map().lookup(logical);
    if (m === null) throw new ExtError(Errno.EIO);
    return m.physical;
  }

  /** ext4fs_dirhash with the root's version, unsigned chars when the superblock says (s_hash_unsigned). */
  private hash(idx: DxIndex, name: string): number {
    const version = idx.hashVersion + (this.fs.sb.unsignedHash ? 3 : 0);
    return dirHash(bytesFromByteString(name), version, this.fs.sb.hashSeed)!;
  }

  /** dx_find_entry: the name's leaf, then the next ones while they continue its hash (ext4_htree_next_block). */
  private dxFind(idx: DxIndex, name: string): FoundEntry | undefined {
    const h = this.hash(idx, name);
    for (let i = idx.leafFor(h); i < idx.leaves.length; i++) {
      const leaf = idx.leaves[i]!;
      if (i > idx.leafFor(h) && leaf.hash !== (h | 1) >>> 0) break;
      const physical = this.physicalOf(leaf.block);
      const e = new DirBlock(this.fs.cache.get(physical), this.csum).find(name);
      if (e !== undefined) return { ino: e.ino, block: physical, at: e.at };
    }
    return undefined;
  }

  /** Write the index back (root and interior nodes) and mark its blocks dirty. */
  private writeIndex(idx: DxIndex, nodes: number[] = idx.nodes): void {
    const rootPhysical = this.physicalOf(0);
    idx.write(this.fs.cache.get(rootPhysical), nodes, (l) => this.blockAt(l), this.dir.csumSeed());
    this.fs.cache.markDirty(rootPhysical);
    for (const n of nodes) this.fs.cache.markDirty(this.physicalOf(n));
  }

  /**
   * New blocks at the end of the directory, one per entry of `formats`
   * (each formats its fresh bytes); on ENOSPC the ones taken go back and
   * the size is as it was.
   */
  private grow(count: number): number[] {
    const first = Math.ceil(this.dir.size() / this.bs);
    const size = this.dir.size();
    const out: number[] = [];
    try {
      for (let k = 0; k < count; k++) {
        const physical = this.dir.blockFor(first + k);
        DirBlock.format(this.fs.cache.fresh(physical), this.csum);
        out.push(first + k);
      }
    } catch (e) {
      this.dir.map().truncate(first);
      this.dir.disk.size = size;
      this.dir.save();
      throw e;
    }
    this.dir.disk.size = (first + count) * this.bs;
    this.dir.save();
    return out;
  }

  /**
   * do_split: the entries of a full leaf sorted by hash, the upper ones
   * (up to half the block's bytes, counted from the end) moved to `to`; the
   * first moved hash, with bit 0 set when it continues the last kept one.
   */
  private split(idx: DxIndex, from: number, to: number): number {
    const fromPhysical = this.physicalOf(from);
    const toPhysical = this.physicalOf(to);
    const old = new DirBlock(this.fs.cache.get(fromPhysical), this.csum);
    const map = [...old.entries()]
      .filter((e) => e.ino !== 0)
      .map((e) => ({ e, hash: this.hash(idx, e.name) }))
      .sort((a, b) => a.hash - b.hash);
    // Sizes are the entries' rec_len, slack included (dx_make_map); more than half the block
    // moves, else the block splits in half by count.
    let move = 0;
    let size = 0;
    let i = map.length - 1;
    for (; i >= 0; i--) {
      const len = map[i]!.e.recLen;
      if (size + len / 2 > this.bs / 2) break;
      size += len;
      move++;
    }
    const splitAt = i > 0 ? map.length - move : Math.floor(map.length / 2);
    const hash2 = map[splitAt]?.hash ?? (map[map.length - 1]!.hash | 1) >>> 0;
    const continued = splitAt > 0 && map[splitAt - 1]!.hash === hash2 ? 1 : 0;
    const put = (physical: number, list: { e: RawDirEntry }[]): void => {
      const b = DirBlock.format(this.fs.cache.get(physical), this.csum);
      for (const { e } of list) b.insert(e.name, e.ino, e.fileType);
      Directory.seal(this.fs, this.dir, b, physical);
    };
    const kept = map.slice(0, splitAt);
    const moved = map.slice(splitAt);
    put(fromPhysical, kept);
    put(toPhysical, moved);
    return (hash2 | continued) >>> 0;
  }

  /** dx_add_entry: into the name's leaf; a full leaf splits, and the index grows a level when the root is full. */
  private dxAdd(idx: DxIndex, name: string, ino: number, ft: number): void {
    if (recLen(name.length) > this.bs) throw new ExtError(Errno.ENAMETOOLONG);
    const h = this.hash(idx, name);
    const i = idx.leafFor(h);
    const leafPhysical = this.physicalOf(idx.leaves[i]!.block);
    const leaf = new DirBlock(this.fs.cache.get(leafPhysical), this.csum);
    if (leaf.insert(name, ino, ft)) {
      Directory.seal(this.fs, this.dir, leaf, leafPhysical);
      return;
    }
    // Without large_dir the index has two levels at most: "Directory index full!" is ENOSPC.
    const nodes = DxIndex.nodesFor(idx.leaves.length + 1, this.bs, this.csum);
    if (nodes === null) throw new ExtError(Errno.ENOSPC);
    const fresh = this.grow(1 + Math.max(0, nodes - idx.nodes.length));
    const to = fresh[0]!;
    const hash2 = this.split(idx, idx.leaves[i]!.block, to);
    idx.leaves.splice(i + 1, 0, { hash: hash2, block: to });
    const target = h >= (hash2 & ~1) >>> 0 ? to : idx.leaves[i]!.block;
    const physical = this.physicalOf(target);
    const b = new DirBlock(this.fs.cache.get(physical), this.csum);
    if (!b.insert(name, ino, ft)) throw new ExtError(Errno.ENOSPC);
    Directory.seal(this.fs, this.dir, b, physical);
    this.writeIndex(idx, nodes === 0 ? [] : [...idx.nodes, ...fresh.slice(1)].slice(0, nodes));
  }

  /**
   * make_indexed_dir: block 0's entries move to a new block, which splits
   * in two by hash; block 0 becomes the root ("." and "..", then the index
   * with s_def_hash_version) and the INDEX flag is set.
   */
  private makeIndexed(): void {
    const [first] = this.grow(2);
    const second = first! + 1;
    const rootPhysical = this.physicalOf(0);
    const root = new DirBlock(this.fs.cache.get(rootPhysical), this.csum);
    const self = root.find('.');
    const parent = root.find('..');
    if (self === undefined || parent === undefined) throw new ExtError(Errno.EIO);
    // Everything but "." and ".." to the first new block (in block order; the split sorts).
    const into = DirBlock.format(this.fs.cache.get(this.physicalOf(first!)), this.csum);
    for (const e of root.entries()) if (e.ino !== 0 && e.name !== '.' && e.name !== '..') into.insert(e.name, e.ino, e.fileType);
    const idx = DxIndex.create(this.fs.sb.defHashVersion, [{ hash: 0, block: first! }]);
    const hash2 = this.split(idx, first!, second);
    idx.leaves.push({ hash: hash2, block: second } satisfies DxLeaf);
    // The root: "." (12 bytes) and ".." spanning the rest; DxIndex.write fills in the index.
    const bytes = root.data;
    bytes.fill(0);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    v.setUint32(0, self.ino, true);
    v.setUint16(4, 12, true);
    bytes[6] = 1;
    bytes[7] = self.fileType;
    bytes[8] = 0x2e;
    v.setUint32(12, parent.ino, true);
    v.setUint16(16, this.bs - 12, true);
    bytes[18] = 2;
    bytes[19] = parent.fileType;
    bytes[20] = 0x2e;
    bytes[21] = 0x2e;
    this.dir.disk.flags = this.dir.disk.flags | INODE_FL.INDEX;
    this.dir.save();
    this.writeIndex(idx, []);
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
