import type { BlockCache } from './block-cache';
import type { BlockSource, FileBlocks, MappedBlock } from './file-blocks';

/** i_block slots: 12 direct, then the single, double and triple indirect (EXT2_NDIR_BLOCKS ...). */
const DIRECT = 12;

/**
 * The ext2/ext3 block map (fs/ext2/inode.c ext2_block_to_path and
 * ext2_get_branch; fs/ext4/indirect.c): 12 direct block numbers in i_block,
 * then an indirect block of blocksize/4 numbers, a double and a triple
 * indirect one. 0 is a hole.
 */
export class BlockMap implements FileBlocks {
  private readonly slots: DataView;
  private readonly per: number;

  constructor(
    iblock: Uint8Array,
    private readonly cache: BlockCache,
    private readonly source: BlockSource,
  ) {
    this.slots = new DataView(iblock.buffer, iblock.byteOffset, 60);
    this.per = cache.blockSize / 4;
  }

  /** ext2_block_to_path: the i_block slot and the indexes inside each indirect level. */
  private path(logical: number): { slot: number; indexes: number[] } {
    const p = this.per;
    if (logical < DIRECT) return { slot: logical, indexes: [] };
    let l = logical - DIRECT;
    if (l < p) return { slot: 12, indexes: [l] };
    l -= p;
    if (l < p * p) return { slot: 13, indexes: [Math.floor(l / p), l % p] };
    l -= p * p;
    return { slot: 14, indexes: [Math.floor(l / (p * p)), Math.floor(l / p) % p, l % p] };
  }

  private entry(block: number, i: number): number {
    const b = this.cache.get(block);
    return new DataView(b.buffer, b.byteOffset, b.length).getUint32(i * 4, true);
  }

  private setEntry(block: number, i: number, value: number): void {
    const b = this.cache.get(block);
    new DataView(b.buffer, b.byteOffset, b.length).setUint32(i * 4, value, true);
    this.cache.markDirty(block);
  }

  lookup(logical: number): MappedBlock | null {
    const { slot, indexes } = this.path(logical);
    let b = this.slots.getUint32(slot * 4, true);
    for (const i of indexes) {
      if (b === 0) return null;
      b = this.entry(b, i);
    }
    return b === 0 ? null : { physical: b, unwritten: false };
  }

  goal(logical: number): number {
    for (let l = logical - 1; l >= 0 && l >= logical - 16; l--) {
      const m = this.lookup(l);
      if (m) return m.physical + (logical - l);
    }
    return 0;
  }

  /** ext2_get_block with create: the missing indirect blocks (zeroed), then the data block. */
  allocate(logical: number, goal: number): number {
    const { slot, indexes } = this.path(logical);
    const fresh: number[] = [];
    try {
      let b = this.slots.getUint32(slot * 4, true);
      if (indexes.length === 0) {
        const data = this.source.alloc(goal);
        this.slots.setUint32(slot * 4, data, true);
        return data;
      }
      if (b === 0) {
        b = this.source.alloc(goal);
        fresh.push(b);
        this.cache.fresh(b);
        this.slots.setUint32(slot * 4, b, true);
      }
      for (let k = 0; k < indexes.length; k++) {
        const i = indexes[k]!;
        let child = this.entry(b, i);
        if (child === 0) {
          child = this.source.alloc(b + 1);
          fresh.push(child);
          if (k < indexes.length - 1) this.cache.fresh(child);
          this.setEntry(b, i, child);
        }
        b = child;
      }
      return b;
    } catch (e) {
      // Undo the indirect blocks taken for this path: the map is as before.
      for (const f of fresh.reverse()) this.unlink(f, logical);
      throw e;
    }
  }

  /** Take back a just-allocated block of `logical`'s path after a failed allocation. */
  private unlink(block: number, logical: number): void {
    const { slot, indexes } = this.path(logical);
    let parent = -1;
    let b = this.slots.getUint32(slot * 4, true);
    if (b === block) this.slots.setUint32(slot * 4, 0, true);
    for (const i of indexes) {
      if (b === block || b === 0) break;
      parent = b;
      b = this.entry(b, i);
      if (b === block) this.setEntry(parent, i, 0);
    }
    this.source.free(block);
  }

  written(): void {}

  truncate(from: number): void {
    this.punch(from, Infinity);
  }

  /** ext4_ind_remove_space: the data blocks of [from, to), and the indirect blocks left empty. */
  punch(from: number, to: number): void {
    for (let s = 0; s < 15; s++) {
      const b = this.slots.getUint32(s * 4, true);
      if (b === 0) continue;
      const level = s < DIRECT ? 0 : s - DIRECT + 1;
      const first = s < DIRECT ? s : this.firstOfSlot(s);
      if (this.cut(b, level, first, from, to)) this.slots.setUint32(s * 4, 0, true);
    }
  }

  /** The first logical block reached through slot 12, 13 or 14. */
  private firstOfSlot(s: number): number {
    const p = this.per;
    return s === 12 ? DIRECT : s === 13 ? DIRECT + p : DIRECT + p + p * p;
  }

  /**
   * Free what the subtree at `block` (a data block at level 0) maps in
   * logical [from, to); `first` is the first logical block it covers.
   * True when the whole subtree went (the caller clears its pointer).
   */
  private cut(block: number, level: number, first: number, from: number, to: number): boolean {
    const span = this.per ** level;
    if (first + span <= from || first >= to) return false;
    if (level === 0) {
      this.source.free(block);
      return true;
    }
    const childSpan = span / this.per;
    let empty = true;
    for (let i = 0; i < this.per; i++) {
      const c = this.entry(block, i);
      if (c === 0) continue;
      if (this.cut(c, level - 1, first + i * childSpan, from, to)) this.setEntry(block, i, 0);
      else empty = false;
    }
    if (empty) {
      this.source.free(block);
      return true;
    }
    return false;
  }
}
