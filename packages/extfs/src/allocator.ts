import { Errno } from '@tskern/abi';
import { ExtError, type BlockCache } from './block-cache';
import { crc32c } from './checksums';
import { BG, gdtBlocks, gdtStart, GroupDescriptor } from './group-descriptors';
import { groupHasSuper, type Superblock } from './superblock';

function testBit(map: Uint8Array, i: number): boolean {
  return (map[i >> 3]! & (1 << (i & 7))) !== 0;
}
function setBit(map: Uint8Array, i: number): void {
  map[i >> 3]! |= 1 << (i & 7);
}
function clearBit(map: Uint8Array, i: number): void {
  map[i >> 3]! &= ~(1 << (i & 7));
}

/** ext4_mark_bitmap_end: bits from `from` to the end of the bitmap block read as in use. */
function markBitmapEnd(map: Uint8Array, from: number): void {
  for (let i = from; i < map.length * 8; i++) setBit(map, i);
}

/**
 * The block and inode allocator (fs/ext4/balloc.c, ialloc.c, mballoc.c in
 * their simplest form): the group descriptor table, the per-group bitmaps,
 * and the free counts of the descriptors and the superblock. Uninitialised
 * groups (BLOCK_UNINIT, INODE_UNINIT) get their bitmaps built the first time
 * they are touched, as ext4_read_block_bitmap / ext4_read_inode_bitmap do.
 * Checksums of changed bitmaps and descriptors are set by `seal` before a
 * write-back.
 */
export class Allocator {
  readonly groups: GroupDescriptor[] = [];
  private readonly gdtBlockOf: number[] = [];
  private readonly changed = new Set<number>();

  constructor(
    private readonly sb: Superblock,
    private readonly cache: BlockCache,
    private readonly seed: number,
  ) {
    const bs = sb.blockSize;
    const ds = sb.descSize;
    const start = gdtStart(sb);
    for (let g = 0; g < sb.groupCount; g++) {
      const block = start + Math.floor((g * ds) / bs);
      const at = (g * ds) % bs;
      this.groups.push(new GroupDescriptor(g, cache.get(block).subarray(at, at + ds)));
      this.gdtBlockOf.push(block);
    }
  }

  /** Every descriptor's checksum is right (ext4_check_descriptors). */
  descriptorsOk(): boolean {
    return this.groups.every((d) => d.checksumOk(this.sb, this.seed));
  }

  get groupCount(): number {
    return this.groups.length;
  }

  /** The first block of group `g`. */
  groupFirstBlock(g: number): number {
    return this.sb.firstDataBlock + g * this.sb.blocksPerGroup;
  }

  /** Blocks in group `g` (the last group may be short). */
  blocksInGroup(g: number): number {
    return Math.min(this.sb.blocksPerGroup, this.sb.blocksCount - this.groupFirstBlock(g));
  }

  groupOfBlock(block: number): number {
    return Math.floor((block - this.sb.firstDataBlock) / this.sb.blocksPerGroup);
  }

  groupOfInode(ino: number): number {
    return Math.floor((ino - 1) / this.sb.inodesPerGroup);
  }

  private touched(g: number): void {
    this.changed.add(g);
    this.cache.markDirty(this.gdtBlockOf[g]!);
  }

  /** ext4_read_block_bitmap: the group's block bitmap, initialised first when BLOCK_UNINIT. */
  private blockBitmap(g: number): Uint8Array {
    const d = this.groups[g]!;
    if ((d.flags & BG.BLOCK_UNINIT) === 0 || !this.sb.hasGroupDescCsum) return this.cache.get(d.blockBitmap);
    // ext4_init_block_bitmap: the superblock backup and descriptor tables, then
    // this group's own bitmaps and inode table where they lie inside it.
    const map = this.cache.fresh(d.blockBitmap);
    const first = this.groupFirstBlock(g);
    if (groupHasSuper(this.sb, g)) {
      const meta = 1 + gdtBlocks(this.sb) + this.sb.reservedGdtBlocks;
      // With 1 KiB blocks group 0 starts at block 1, after the boot block.
      for (let i = 0; i < meta; i++) setBit(map, i);
    }
    const mark = (b: number) => {
      if (b >= first && b < first + this.blocksInGroup(g)) setBit(map, b - first);
    };
    mark(d.blockBitmap);
    mark(d.inodeBitmap);
    for (let i = 0; i < this.inodeTableBlocks(); i++) mark(d.inodeTable + i);
    markBitmapEnd(map, this.blocksInGroup(g));
    d.flags &= ~BG.BLOCK_UNINIT;
    this.touched(g);
    return map;
  }

  /** ext4_read_inode_bitmap: all free when INODE_UNINIT, padding bits in use. */
  private inodeBitmap(g: number): Uint8Array {
    const d = this.groups[g]!;
    if ((d.flags & BG.INODE_UNINIT) === 0 || !this.sb.hasGroupDescCsum) return this.cache.get(d.inodeBitmap);
    const map = this.cache.fresh(d.inodeBitmap);
    markBitmapEnd(map, this.sb.inodesPerGroup);
    d.flags &= ~BG.INODE_UNINIT;
    this.touched(g);
    return map;
  }

  inodeTableBlocks(): number {
    return Math.ceil((this.sb.inodesPerGroup * this.sb.inodeSize) / this.sb.blockSize);
  }

  /**
   * Allocate one block, searching from `goal` on (ext4_mb_new_blocks reduced
   * to a first fit after the goal, wrapping around): the block, or ENOSPC
   * thrown. Reserved blocks (s_r_blocks_count) are for a privileged caller
   * only, and the last `reservedPool()` blocks for nobody
   * (ext4_has_free_clusters).
   */
  allocBlock(goal: number, privileged: boolean): number {
    const reserve = this.reservedPool() + (privileged ? 0 : this.sb.reservedBlocks);
    if (this.sb.freeBlocks <= reserve) throw new ExtError(Errno.ENOSPC);
    const n = this.groups.length;
    const goalGroup = goal >= this.sb.firstDataBlock && goal < this.sb.blocksCount ? this.groupOfBlock(goal) : 0;
    for (let k = 0; k <= n; k++) {
      const g = (goalGroup + k) % n;
      const d = this.groups[g]!;
      if (d.freeBlocks === 0) continue;
      const map = this.blockBitmap(g);
      const count = this.blocksInGroup(g);
      const start = k === 0 ? Math.max(0, goal - this.groupFirstBlock(g)) : 0;
      let bit = this.findZero(map, start, count);
      if (bit < 0 && start > 0) bit = this.findZero(map, 0, start);
      if (bit < 0) continue;
      setBit(map, bit);
      this.cache.markDirty(d.blockBitmap);
      d.freeBlocks = d.freeBlocks - 1;
      this.sb.freeBlocks = this.sb.freeBlocks - 1;
      this.touched(g);
      return this.groupFirstBlock(g) + bit;
    }
    throw new ExtError(Errno.ENOSPC);
  }

  /**
   * s_resv_clusters (ext4_calculate_resv_clusters): 2% of the blocks, at
   * most 4096, kept back so that metadata can always be written; statfs
   * does not count them as available either.
   */
  reservedPool(): number {
    return Math.min(Math.floor(this.sb.blocksCount / 50), 4096);
  }

  private findZero(map: Uint8Array, from: number, to: number): number {
    for (let i = from; i < to; i++) {
      if ((i & 7) === 0 && map[i >> 3] === 0xff && i + 8 <= to) {
        i += 7;
        continue;
      }
      if (!testBit(map, i)) return i;
    }
    return -1;
  }

  /** ext4_free_blocks for one block. */
  freeBlock(block: number): void {
    // ext4_check_blockref / ext4_inode_block_valid: a number outside the file system is corruption.
    if (block < this.sb.firstDataBlock || block >= this.sb.blocksCount) throw new ExtError(Errno.EIO);
    const g = this.groupOfBlock(block);
    const d = this.groups[g]!;
    const map = this.blockBitmap(g);
    const bit = block - this.groupFirstBlock(g);
    if (!testBit(map, bit)) throw new ExtError(Errno.EIO); // a double free: the image is corrupt
    clearBit(map, bit);
    this.cache.markDirty(d.blockBitmap);
    this.cache.forget(block);
    d.freeBlocks = d.freeBlocks + 1;
    this.sb.freeBlocks = this.sb.freeBlocks + 1;
    this.touched(g);
  }

  /**
   * __ext4_new_inode's search: the parent's group first, then the next ones;
   * the inode number, or ENOSPC thrown. Updates itable_unused as
   * ext4_new_inode does for groups with checksummed descriptors.
   */
  allocInode(parentIno: number, directory: boolean): number {
    if (this.sb.freeInodes === 0) throw new ExtError(Errno.ENOSPC);
    const n = this.groups.length;
    const ipg = this.sb.inodesPerGroup;
    const start = this.groupOfInode(parentIno);
    for (let k = 0; k < n; k++) {
      const g = (start + k) % n;
      const d = this.groups[g]!;
      if (d.freeInodes === 0) continue;
      const map = this.inodeBitmap(g);
      // Inodes below s_first_ino are reserved (group 0).
      const from = g === 0 ? this.sb.firstIno - 1 : 0;
      const bit = this.findZero(map, from, ipg);
      if (bit < 0) continue;
      setBit(map, bit);
      this.cache.markDirty(d.inodeBitmap);
      d.freeInodes = d.freeInodes - 1;
      this.sb.freeInodes = this.sb.freeInodes - 1;
      if (directory) d.usedDirs = d.usedDirs + 1;
      if (this.sb.hasGroupDescCsum) {
        const free = ipg - d.itableUnused;
        if (bit >= free) d.itableUnused = ipg - bit - 1;
      }
      this.touched(g);
      return g * ipg + bit + 1;
    }
    throw new ExtError(Errno.ENOSPC);
  }

  /** ext4_free_inode. */
  freeInode(ino: number, directory: boolean): void {
    const g = this.groupOfInode(ino);
    const d = this.groups[g]!;
    const map = this.inodeBitmap(g);
    const bit = (ino - 1) % this.sb.inodesPerGroup;
    if (!testBit(map, bit)) throw new ExtError(Errno.EIO);
    clearBit(map, bit);
    this.cache.markDirty(d.inodeBitmap);
    d.freeInodes = d.freeInodes + 1;
    this.sb.freeInodes = this.sb.freeInodes + 1;
    if (directory) d.usedDirs = d.usedDirs - 1;
    this.touched(g);
  }

  /** Where inode `ino` lives: its inode-table block and the byte offset inside it. */
  /**
   * Whether inode `ino` lies where the group's table may hold stale bytes:
   * an INODE_UNINIT group, or past the used part (bg_itable_unused) of a
   * group with checksummed descriptors. Such a slot is never read: it is
   * free, and mke2fs without lazy_itable_init zeroing is not assumed.
   */
  inodeUnused(ino: number): boolean {
    if (!this.sb.hasGroupDescCsum) return false;
    const d = this.groups[this.groupOfInode(ino)]!;
    const index = (ino - 1) % this.sb.inodesPerGroup;
    return (d.flags & BG.INODE_UNINIT) !== 0 || index >= this.sb.inodesPerGroup - d.itableUnused;
  }

  /**
   * ext4_init_inode_table (the lazyinit thread after a read-write mount):
   * in every group with checksummed descriptors that lacks ITABLE_ZEROED,
   * zero the inode table blocks past the used inodes (all of them for an
   * INODE_UNINIT group) on the device, and set the flag. `zero` writes
   * zeros over a run of blocks.
   */
  initInodeTables(zero: (block: number, count: number) => void): void {
    if (!this.sb.hasGroupDescCsum) return;
    const perBlock = this.sb.blockSize / this.sb.inodeSize;
    const tableBlocks = Math.ceil(this.sb.inodesPerGroup / perBlock);
    this.groups.forEach((d, g) => {
      if ((d.flags & BG.ITABLE_ZEROED) !== 0) return;
      const used = (d.flags & BG.INODE_UNINIT) !== 0 ? 0 : Math.ceil((this.sb.inodesPerGroup - d.itableUnused) / perBlock);
      if (used > tableBlocks) return; // "Something is wrong with group": left alone
      for (let b = used; b < tableBlocks; b++) this.cache.forget(d.inodeTable + b);
      if (used < tableBlocks) zero(d.inodeTable + used, tableBlocks - used);
      d.flags |= BG.ITABLE_ZEROED;
      this.touched(g);
    });
  }

  inodeLocation(ino: number): { block: number; offset: number } {
    const g = this.groupOfInode(ino);
    const index = (ino - 1) % this.sb.inodesPerGroup;
    const byte = index * this.sb.inodeSize;
    return { block: this.groups[g]!.inodeTable + Math.floor(byte / this.sb.blockSize), offset: byte % this.sb.blockSize };
  }

  /**
   * Before a write-back: the checksums of the bitmaps of every changed group
   * (ext4_block_bitmap_csum_set, ext4_inode_bitmap_csum_set) and of their
   * descriptors.
   */
  seal(): void {
    for (const g of this.changed) {
      const d = this.groups[g]!;
      if (this.sb.hasMetadataCsum) {
        if ((d.flags & BG.BLOCK_UNINIT) === 0) {
          d.setBlockBitmapCsum(crc32c(this.seed, this.cache.get(d.blockBitmap), 0, this.sb.blocksPerGroup / 8));
        }
        if ((d.flags & BG.INODE_UNINIT) === 0) {
          d.setInodeBitmapCsum(crc32c(this.seed, this.cache.get(d.inodeBitmap), 0, this.sb.inodesPerGroup / 8));
        }
      }
      d.seal(this.sb, this.seed);
      this.cache.markDirty(this.gdtBlockOf[g]!);
    }
    this.changed.clear();
  }
}
