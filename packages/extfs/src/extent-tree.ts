import { Errno } from '@tskern/abi';
import { ExtError, type BlockCache } from './block-cache';
import { crc32c } from './checksums';
import type { BlockSource, FileBlocks, MappedBlock } from './file-blocks';

/** eh_magic (fs/ext4/ext4_extents.h EXT4_EXT_MAGIC). */
export const EXTENT_MAGIC = 0xf30a;
/** EXT_INIT_MAX_LEN: an initialised extent covers at most 32768 blocks; an unwritten one 32767. */
const INIT_MAX_LEN = 32768;
const ENTRY = 12;

/** One leaf extent: `length` blocks from logical `logical` at physical `physical`. */
export interface Extent {
  logical: number;
  length: number;
  physical: number;
  unwritten: boolean;
}

/**
 * An ext4 extent tree (Documentation/filesystems/ext4/ifork.rst) held as the
 * sorted list of its leaf extents. Reading walks the tree once; every change
 * rewrites it packed and as shallow as it fits (depth 0 for up to 4 extents
 * in i_block, then leaf and index blocks of (blocksize - 12) / 12 entries
 * with the ext4_extent_tail checksum), reusing its old blocks first. Linux
 * splits and merges nodes in place (ext4_ext_insert_extent); the packed
 * result is a tree e2fsck accepts as well, and files here have few extents
 * because allocation is contiguous.
 */
export class ExtentTree implements FileBlocks {
  private readonly extents: Extent[] = [];
  /** The index and leaf blocks the tree occupies now. */
  private treeBlocks: number[] = [];

  constructor(
    private readonly iblock: Uint8Array,
    private readonly cache: BlockCache,
    private readonly source: BlockSource,
    /** The inode's checksum seed, or null without metadata_csum. */
    private readonly csumSeed: number | null,
  ) {
    this.read(iblock, true);
  }

  /** Make an empty tree in a new inode's i_block (ext4_ext_tree_init). */
  static init(iblock: Uint8Array): void {
    iblock.fill(0);
    const v = new DataView(iblock.buffer, iblock.byteOffset, 60);
    v.setUint16(0, EXTENT_MAGIC, true);
    v.setUint16(4, 4, true);
  }

  get extentCount(): number {
    return this.extents.length;
  }

  get metadataBlocks(): number {
    return this.treeBlocks.length;
  }

  private read(node: Uint8Array, root: boolean): void {
    const v = new DataView(node.buffer, node.byteOffset, node.length);
    if (v.getUint16(0, true) !== EXTENT_MAGIC) throw new ExtError(Errno.EIO); // ext4_ext_check: -EFSCORRUPTED
    const entries = v.getUint16(2, true);
    const depth = v.getUint16(6, true);
    if (entries > v.getUint16(4, true) || (root && entries > 4)) throw new ExtError(Errno.EIO);
    for (let i = 0; i < entries; i++) {
      const at = ENTRY + i * ENTRY;
      if (depth === 0) {
        const raw = v.getUint16(at + 4, true);
        const unwritten = raw > INIT_MAX_LEN;
        this.extents.push({
          logical: v.getUint32(at, true),
          length: unwritten ? raw - INIT_MAX_LEN : raw,
          physical: v.getUint16(at + 6, true) * 2 ** 32 + v.getUint32(at + 8, true),
          unwritten,
        });
      } else {
        const child = v.getUint32(at + 4, true) + v.getUint16(at + 8, true) * 2 ** 32;
        this.treeBlocks.push(child);
        this.read(this.cache.get(child), false);
      }
    }
  }

  /** The extent holding `logical`, by binary search. */
  private find(logical: number): number {
    let lo = 0;
    let hi = this.extents.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.extents[mid]!;
      if (logical < e.logical) hi = mid - 1;
      else if (logical >= e.logical + e.length) lo = mid + 1;
      else return mid;
    }
    return -1 - lo; // where it would go
  }

  lookup(logical: number): MappedBlock | null {
    const i = this.find(logical);
    if (i < 0) return null;
    const e = this.extents[i]!;
    return { physical: e.physical + (logical - e.logical), unwritten: e.unwritten };
  }

  goal(logical: number): number {
    const i = this.find(logical);
    const before = i >= 0 ? i : -1 - i - 1;
    const e = this.extents[before];
    return e === undefined ? 0 : e.physical + (logical - e.logical);
  }

  /** All extents, in order (for tests and SEEK_DATA). */
  list(): readonly Extent[] {
    return this.extents;
  }

  allocate(logical: number, goal: number, unwritten = false): number {
    const physical = this.source.alloc(goal);
    const at = -1 - this.find(logical);
    const prev = this.extents[at - 1];
    const next = this.extents[at];
    // An unwritten extent covers at most 32767 blocks (EXT_UNWRITTEN_MAX_LEN).
    const max = unwritten ? INIT_MAX_LEN - 1 : INIT_MAX_LEN;
    const joins = (e: Extent | undefined): e is Extent => e !== undefined && e.unwritten === unwritten;
    let merged = false;
    if (joins(prev) && prev.logical + prev.length === logical && prev.physical + prev.length === physical && prev.length < max) {
      prev.length++;
      merged = true;
      if (joins(next) && logical + 1 === next.logical && physical + 1 === next.physical && prev.length + next.length <= max) {
        prev.length += next.length;
        this.extents.splice(at, 1);
      }
    } else if (joins(next) && logical + 1 === next.logical && physical + 1 === next.physical && next.length < max) {
      next.logical--;
      next.physical--;
      next.length++;
      merged = true;
    }
    if (!merged) this.extents.splice(at, 0, { logical, length: 1, physical, unwritten });
    try {
      this.write();
    } catch (e) {
      // No block for the tree: take the mapping back so nothing changed.
      this.unmapOne(logical);
      this.source.free(physical);
      this.write();
      throw e;
    }
    return physical;
  }

  /** Remove logical block `logical` from the list (it is mapped). */
  private unmapOne(logical: number): void {
    const i = this.find(logical);
    const e = this.extents[i]!;
    if (e.length === 1) this.extents.splice(i, 1);
    else if (logical === e.logical) {
      e.logical++;
      e.physical++;
      e.length--;
    } else if (logical === e.logical + e.length - 1) e.length--;
    else {
      const cut = logical - e.logical;
      this.extents.splice(i + 1, 0, { logical: logical + 1, length: e.length - cut - 1, physical: e.physical + cut + 1, unwritten: e.unwritten });
      e.length = cut;
    }
  }

  /**
   * The block at `logical` (mapped) is about to hold data: split its
   * unwritten extent so that block is an initialised one
   * (ext4_ext_convert_to_initialized, without the merging).
   */
  written(logical: number): void {
    const i = this.find(logical);
    const e = this.extents[i];
    if (e === undefined || !e.unwritten) return;
    const cut = logical - e.logical;
    const parts: Extent[] = [];
    if (cut > 0) parts.push({ logical: e.logical, length: cut, physical: e.physical, unwritten: true });
    parts.push({ logical, length: 1, physical: e.physical + cut, unwritten: false });
    if (cut + 1 < e.length) parts.push({ logical: logical + 1, length: e.length - cut - 1, physical: e.physical + cut + 1, unwritten: true });
    const before = { ...e };
    this.extents.splice(i, 1, ...parts);
    try {
      this.write();
    } catch (err) {
      this.extents.splice(i, parts.length, before);
      this.write();
      throw err;
    }
  }

  truncate(from: number): void {
    while (this.extents.length > 0) {
      const e = this.extents[this.extents.length - 1]!;
      if (e.logical + e.length <= from) break;
      const keep = Math.max(0, from - e.logical);
      for (let k = keep; k < e.length; k++) this.source.free(e.physical + k);
      if (keep === 0) this.extents.pop();
      else e.length = keep;
    }
    this.write();
  }

  /** Split the extent holding `logical` so one starts there (ext4_split_extent_at). */
  private splitAt(logical: number): void {
    const i = this.find(logical);
    if (i < 0) return;
    const e = this.extents[i]!;
    if (e.logical === logical) return;
    const cut = logical - e.logical;
    this.extents.splice(i + 1, 0, { logical, length: e.length - cut, physical: e.physical + cut, unwritten: e.unwritten });
    e.length = cut;
  }

  /** Merge neighbours that are contiguous in both numbers and kind (ext4_ext_try_to_merge). */
  private merge(): void {
    for (let i = this.extents.length - 1; i > 0; i--) {
      const a = this.extents[i - 1]!;
      const b = this.extents[i]!;
      const max = a.unwritten ? INIT_MAX_LEN - 1 : INIT_MAX_LEN;
      if (a.unwritten === b.unwritten && a.logical + a.length === b.logical && a.physical + a.length === b.physical && a.length + b.length <= max) {
        a.length += b.length;
        this.extents.splice(i, 1);
      }
    }
  }

  /**
   * Apply `change` to the list and rewrite the tree; when the tree needs a
   * block that cannot be had, the list goes back as it was and ENOSPC is
   * thrown (nothing changed). The data blocks the change returns are freed
   * only after the tree no longer names them.
   */
  private change(change: () => number[]): void {
    const before = this.extents.map((e) => ({ ...e }));
    const freed = change();
    try {
      this.write();
    } catch (e) {
      this.extents.splice(0, this.extents.length, ...before);
      this.write();
      throw e;
    }
    for (const b of freed) this.source.free(b);
  }

  /** ext4_ext_remove_space over [from, to): a punched hole (collapse's first step too). */
  punch(from: number, to: number): void {
    this.change(() => {
      this.splitAt(from);
      this.splitAt(to);
      const freed: number[] = [];
      for (let i = this.extents.length - 1; i >= 0; i--) {
        const e = this.extents[i]!;
        if (e.logical < from || e.logical >= to) continue;
        for (let k = 0; k < e.length; k++) freed.push(e.physical + k);
        this.extents.splice(i, 1);
      }
      return freed;
    });
  }

  /**
   * The mapped blocks of [from, to) become unwritten, so they read as zeros
   * and keep their blocks (ZERO_RANGE's EXT4_GET_BLOCKS_CONVERT_UNWRITTEN,
   * ext4_ext_convert_initialized_extent); an extent longer than an
   * unwritten one may be (32767) is split.
   */
  unwrite(from: number, to: number): void {
    this.change(() => {
      this.splitAt(from);
      this.splitAt(to);
      for (let i = 0; i < this.extents.length; i++) {
        const e = this.extents[i]!;
        if (e.logical < from || e.logical >= to || e.unwritten) continue;
        e.unwritten = true;
        if (e.length > INIT_MAX_LEN - 1) this.extents.splice(i + 1, 0, { logical: e.logical + INIT_MAX_LEN - 1, length: e.length - (INIT_MAX_LEN - 1), physical: e.physical + INIT_MAX_LEN - 1, unwritten: true });
        e.length = Math.min(e.length, INIT_MAX_LEN - 1);
      }
      this.merge();
      return [];
    });
  }

  /**
   * Move every extent at logical `from` and past by `delta` blocks
   * (ext4_ext_shift_extents): left for COLLAPSE_RANGE (the range was
   * punched first), right for INSERT_RANGE (split at `from` first).
   */
  shift(from: number, delta: number): void {
    this.change(() => {
      this.splitAt(from);
      for (const e of this.extents) if (e.logical >= from) e.logical += delta;
      this.merge();
      return [];
    });
  }

  /** Entries per tree block (ext4_ext_space_block). */
  private perBlock(): number {
    return Math.floor((this.cache.blockSize - ENTRY) / ENTRY);
  }

  /**
   * Rewrite the tree from the list: the leaves, then index levels until the
   * top fits the 4 slots of i_block. Blocks come from the old tree first;
   * a new block that cannot be had throws ENOSPC before anything is written.
   */
  private write(): void {
    const per = this.perBlock();
    // How many blocks each level needs, bottom up.
    const levels: number[] = [];
    let count = this.extents.length;
    while (count > 4) {
      const blocks = Math.ceil(count / per);
      levels.push(blocks);
      count = blocks;
    }
    const needed = levels.reduce((a, b) => a + b, 0);
    const blocks = this.treeBlocks.slice(0, needed);
    const goal = this.extents[0]?.physical ?? 0;
    try {
      while (blocks.length < needed) blocks.push(this.source.alloc(blocks.length > 0 ? blocks[blocks.length - 1]! + 1 : goal));
    } catch (e) {
      for (const b of blocks.slice(this.treeBlocks.length)) this.source.free(b);
      throw e;
    }
    for (const b of this.treeBlocks.slice(needed)) this.source.free(b);
    this.treeBlocks = blocks;

    // Entries of the current level: [first logical, encoder].
    let entries: { logical: number; put: (v: DataView, at: number) => void }[] = this.extents.map((e) => ({
      logical: e.logical,
      put: (v, at) => {
        v.setUint32(at, e.logical, true);
        v.setUint16(at + 4, e.unwritten ? e.length + INIT_MAX_LEN : e.length, true);
        v.setUint16(at + 6, Math.floor(e.physical / 2 ** 32), true);
        v.setUint32(at + 8, e.physical % 2 ** 32, true);
      },
    }));
    let depth = 0;
    let next = 0;
    for (const nodes of levels) {
      const up: typeof entries = [];
      for (let n = 0; n < nodes; n++) {
        const block = blocks[next++]!;
        const chunk = entries.slice(n * per, (n + 1) * per);
        const data = this.cache.get(block);
        data.fill(0);
        this.node(data, chunk, per, depth);
        this.sealBlock(data, per);
        this.cache.markDirty(block);
        up.push({
          logical: chunk[0]!.logical,
          put: (v, at) => {
            v.setUint32(at, chunk[0]!.logical, true);
            v.setUint32(at + 4, block % 2 ** 32, true);
            v.setUint16(at + 8, Math.floor(block / 2 ** 32), true);
            v.setUint16(at + 10, 0, true);
          },
        });
      }
      entries = up;
      depth++;
    }
    this.iblock.fill(0);
    this.node(this.iblock, entries, 4, depth);
  }

  private node(data: Uint8Array, entries: readonly { put: (v: DataView, at: number) => void }[], max: number, depth: number): void {
    const v = new DataView(data.buffer, data.byteOffset, data.length);
    v.setUint16(0, EXTENT_MAGIC, true);
    v.setUint16(2, entries.length, true);
    v.setUint16(4, max, true);
    v.setUint16(6, depth, true);
    entries.forEach((e, i) => e.put(v, ENTRY + i * ENTRY));
  }

  /** ext4_extent_block_csum_set: the tail after eh_max entries. */
  private sealBlock(data: Uint8Array, max: number): void {
    if (this.csumSeed === null) return;
    const at = ENTRY + max * ENTRY;
    new DataView(data.buffer, data.byteOffset, data.length).setUint32(at, crc32c(this.csumSeed, data, 0, at), true);
  }
}
