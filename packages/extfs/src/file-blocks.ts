/** Where a file's blocks come from and go back to: the allocator, with the inode's i_blocks kept in step. */
export interface BlockSource {
  /** A free block near `goal` (ENOSPC thrown as ExtError). */
  alloc(goal: number): number;
  /** Give `block` back. */
  free(block: number): void;
}

/** A mapped block of a file: its physical number, and whether it is an unwritten extent (reads as zeros). */
export interface MappedBlock {
  readonly physical: number;
  readonly unwritten: boolean;
}

/**
 * The logical-to-physical map of one file: ext4's extent tree
 * (fs/ext4/extents.c) or ext2/ext3's direct and indirect block map
 * (fs/ext4/indirect.c, fs/ext2/inode.c). The map reads and writes its own
 * metadata blocks through the block cache and the inode's i_block.
 */
export interface FileBlocks {
  /** The block behind logical block `logical`, or null for a hole. */
  lookup(logical: number): MappedBlock | null;
  /**
   * Map `logical` (a hole) to a new block near `goal`, allocating index
   * blocks on the way: the physical block, ENOSPC thrown when none is left
   * (nothing is then changed).
   */
  allocate(logical: number, goal: number): number;
  /** The mapped block at `logical` now holds data: an unwritten extent becomes initialised (block maps have none). */
  written(logical: number): void;
  /** Free every block at logical `from` and past it, and the index blocks left empty. */
  truncate(from: number): void;
  /**
   * Free the blocks mapped in logical [from, to) and the index blocks left
   * empty (ext4_ext_remove_space / ext4_ind_remove_space for a punched
   * hole); ENOSPC thrown, with nothing changed, when an extent split needs
   * a tree block that cannot be had.
   */
  punch(from: number, to: number): void;
  /** A good allocation goal for logical block `logical` (the block after its predecessor's). */
  goal(logical: number): number;
}
