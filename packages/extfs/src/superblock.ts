import { crc32c } from './checksums';

/** EXT2_SUPER_MAGIC (include/uapi/linux/magic.h): s_magic, and statfs's f_type for ext2, ext3 and ext4. */
export const EXT4_SUPER_MAGIC = 0xef53;
/** The primary superblock lives 1024 bytes into the device, whatever the block size. */
export const SUPERBLOCK_OFFSET = 1024;
export const SUPERBLOCK_SIZE = 1024;

/** s_feature_compat bits (fs/ext4/ext4.h EXT4_FEATURE_COMPAT_*). */
export const COMPAT = { HAS_JOURNAL: 0x4, EXT_ATTR: 0x8, RESIZE_INODE: 0x10, DIR_INDEX: 0x20 } as const;
/** s_feature_ro_compat bits. */
export const RO_COMPAT = {
  SPARSE_SUPER: 0x1,
  LARGE_FILE: 0x2,
  BTREE_DIR: 0x4,
  HUGE_FILE: 0x8,
  GDT_CSUM: 0x10,
  DIR_NLINK: 0x20,
  EXTRA_ISIZE: 0x40,
  QUOTA: 0x100,
  BIGALLOC: 0x200,
  METADATA_CSUM: 0x400,
  READONLY: 0x1000,
  PROJECT: 0x2000,
  ORPHAN_PRESENT: 0x10000,
} as const;
/** s_feature_incompat bits. */
export const INCOMPAT = {
  FILETYPE: 0x2,
  RECOVER: 0x4,
  JOURNAL_DEV: 0x8,
  META_BG: 0x10,
  EXTENTS: 0x40,
  BIT64: 0x80,
  MMP: 0x100,
  FLEX_BG: 0x200,
  CSUM_SEED: 0x2000,
  LARGEDIR: 0x4000,
  INLINE_DATA: 0x8000,
} as const;

/** What this package reads and writes (a subset of EXT4_FEATURE_*_SUPP). */
export const SUPPORTED_INCOMPAT = INCOMPAT.FILETYPE | INCOMPAT.RECOVER | INCOMPAT.EXTENTS | INCOMPAT.BIT64 | INCOMPAT.FLEX_BG | INCOMPAT.CSUM_SEED;
export const SUPPORTED_RO_COMPAT =
  RO_COMPAT.SPARSE_SUPER |
  RO_COMPAT.LARGE_FILE |
  RO_COMPAT.BTREE_DIR |
  RO_COMPAT.HUGE_FILE |
  RO_COMPAT.GDT_CSUM |
  RO_COMPAT.DIR_NLINK |
  RO_COMPAT.EXTRA_ISIZE |
  RO_COMPAT.METADATA_CSUM |
  RO_COMPAT.ORPHAN_PRESENT;

/**
 * The ext4 superblock (struct ext4_super_block, Documentation/filesystems/
 * ext4/super.rst) as a view over its 1024 raw bytes: fields are read and
 * written in place, so the fields this package does not interpret survive a
 * write-back unchanged.
 */
export class Superblock {
  readonly view: DataView;

  constructor(readonly raw: Uint8Array) {
    this.view = new DataView(raw.buffer, raw.byteOffset, SUPERBLOCK_SIZE);
  }

  private u16(o: number): number {
    return this.view.getUint16(o, true);
  }
  private u32(o: number): number {
    return this.view.getUint32(o, true);
  }
  /** lo/hi pair, the hi half only with the 64bit feature (ext4_blocks_count). */
  private u64(lo: number, hi: number): number {
    return this.u32(lo) + (this.is64Bit ? this.u32(hi) * 2 ** 32 : 0);
  }
  private setU64(lo: number, hi: number, v: number): void {
    this.view.setUint32(lo, v % 2 ** 32, true);
    if (this.is64Bit) this.view.setUint32(hi, Math.floor(v / 2 ** 32), true);
  }

  get magic(): number {
    return this.u16(0x38);
  }
  get inodesCount(): number {
    return this.u32(0x0);
  }
  get blocksCount(): number {
    return this.u64(0x4, 0x150);
  }
  get reservedBlocks(): number {
    return this.u64(0x8, 0x154);
  }
  get freeBlocks(): number {
    return this.u64(0xc, 0x158);
  }
  set freeBlocks(v: number) {
    this.setU64(0xc, 0x158, v);
  }
  get freeInodes(): number {
    return this.u32(0x10);
  }
  set freeInodes(v: number) {
    this.view.setUint32(0x10, v, true);
  }
  get firstDataBlock(): number {
    return this.u32(0x14);
  }
  get logBlockSize(): number {
    return this.u32(0x18);
  }
  get blockSize(): number {
    return 1024 << this.logBlockSize;
  }
  get blocksPerGroup(): number {
    return this.u32(0x20);
  }
  get inodesPerGroup(): number {
    return this.u32(0x28);
  }
  set mountTime(v: number) {
    this.view.setUint32(0x2c, v, true);
  }
  set writeTime(v: number) {
    this.view.setUint32(0x30, v, true);
  }
  get mountCount(): number {
    return this.u16(0x34);
  }
  set mountCount(v: number) {
    this.view.setUint16(0x34, v & 0xffff, true);
  }
  get state(): number {
    return this.u16(0x3a);
  }
  get revLevel(): number {
    return this.u32(0x4c);
  }
  /** s_first_ino: the first inode number ordinary files may take (11). */
  get firstIno(): number {
    return this.revLevel === 0 ? 11 : this.u32(0x54);
  }
  get inodeSize(): number {
    return this.revLevel === 0 ? 128 : this.u16(0x58);
  }
  get featureCompat(): number {
    return this.u32(0x5c);
  }
  get featureIncompat(): number {
    return this.u32(0x60);
  }
  set featureIncompat(v: number) {
    this.view.setUint32(0x60, v >>> 0, true);
  }
  get featureRoCompat(): number {
    return this.u32(0x64);
  }
  get uuid(): Uint8Array {
    return this.raw.subarray(0x68, 0x78);
  }
  get reservedGdtBlocks(): number {
    return this.u16(0xce);
  }
  get descSize(): number {
    return this.is64Bit ? Math.max(32, this.u16(0xfe)) : 32;
  }
  get firstMetaBg(): number {
    return this.u32(0x104);
  }
  /** s_hash_seed: the four words the htree hashes start from. */
  get hashSeed(): number[] {
    return [0, 1, 2, 3].map((i) => this.u32(0xec + 4 * i));
  }
  /** s_def_hash_version: the hash a new htree index uses (DX_HASH_*). */
  get defHashVersion(): number {
    return this.raw[0xfc]!;
  }
  /** EXT2_FLAGS_UNSIGNED_HASH in s_flags: names hash as unsigned chars (s_hash_unsigned). */
  get unsignedHash(): boolean {
    return (this.u32(0x160) & 0x2) !== 0;
  }
  get wantExtraIsize(): number {
    return this.u16(0x15e);
  }
  get minExtraIsize(): number {
    return this.u16(0x15c);
  }
  get logGroupsPerFlex(): number {
    return this.raw[0x174]!;
  }
  /** s_kbytes_written: lifetime KiB written, as ext4 counts them. */
  get kbytesWritten(): number {
    return this.u32(0x178) + this.u32(0x17c) * 2 ** 32;
  }
  set kbytesWritten(v: number) {
    this.view.setUint32(0x178, v % 2 ** 32, true);
    this.view.setUint32(0x17c, Math.floor(v / 2 ** 32), true);
  }
  get checksumSeed(): number {
    return this.u32(0x270);
  }
  get checksum(): number {
    return this.u32(0x3fc);
  }

  has(kind: 'compat' | 'incompat' | 'ro', bit: number): boolean {
    const field = kind === 'compat' ? this.featureCompat : kind === 'incompat' ? this.featureIncompat : this.featureRoCompat;
    return (field & bit) !== 0;
  }
  get is64Bit(): boolean {
    return (this.u32(0x60) & INCOMPAT.BIT64) !== 0;
  }
  get hasMetadataCsum(): boolean {
    return this.has('ro', RO_COMPAT.METADATA_CSUM);
  }
  /** ext4_has_group_desc_csum: either kind of group descriptor checksum (uninit_bg or metadata_csum). */
  get hasGroupDescCsum(): boolean {
    return this.has('ro', RO_COMPAT.METADATA_CSUM | RO_COMPAT.GDT_CSUM);
  }

  /** The number of block groups (ext4_fill_super's s_groups_count). */
  get groupCount(): number {
    return Math.ceil((this.blocksCount - this.firstDataBlock) / this.blocksPerGroup);
  }

  /** s_csum_seed: crc32c(~0, uuid), or s_checksum_seed with csum_seed (ext4_fill_super). */
  csumSeed(): number {
    return this.has('incompat', INCOMPAT.CSUM_SEED) ? this.checksumSeed : crc32c(0xffffffff, this.uuid);
  }

  /** ext4_superblock_csum: crc32c(~0) over everything before s_checksum. */
  computeChecksum(): number {
    return crc32c(0xffffffff, this.raw, 0, 0x3fc);
  }

  /** ext4_superblock_csum_set. */
  seal(): void {
    if (this.hasMetadataCsum) this.view.setUint32(0x3fc, this.computeChecksum(), true);
  }

  /** ext4_superblock_csum_verify. */
  checksumOk(): boolean {
    return !this.hasMetadataCsum || this.computeChecksum() === this.checksum;
  }
}

/** ext4_group_sparse / ext4_bg_has_super: does group `g` hold a superblock backup? */
export function groupHasSuper(sb: Superblock, g: number): boolean {
  if (g === 0) return true;
  if (!sb.has('ro', RO_COMPAT.SPARSE_SUPER)) return true;
  if (g === 1) return true;
  if (g % 2 === 0) return false;
  for (const base of [3, 5, 7]) {
    let p = base;
    while (p < g) p *= base;
    if (p === g) return true;
  }
  return false;
}
