import { crc16, crc32c, crc32cU32 } from './checksums';
import type { Superblock } from './superblock';

/** bg_flags (fs/ext4/ext4.h EXT4_BG_*). */
export const BG = { INODE_UNINIT: 0x1, BLOCK_UNINIT: 0x2, ITABLE_ZEROED: 0x4 } as const;

/** Offset of bg_checksum inside a descriptor. */
const CHECKSUM_AT = 0x1e;

/**
 * One block group descriptor (struct ext4_group_desc,
 * Documentation/filesystems/ext4/group_descr.rst), a view over its 32 or 64
 * raw bytes inside the descriptor table. The `_hi` halves exist only when
 * the descriptor is 64 bytes (the 64bit feature with s_desc_size >= 64).
 */
export class GroupDescriptor {
  private readonly view: DataView;
  private readonly wide: boolean;

  constructor(
    readonly group: number,
    readonly raw: Uint8Array,
  ) {
    this.view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    this.wide = raw.length >= 64;
  }

  private lohi32(lo: number, hi: number): number {
    return this.view.getUint32(lo, true) + (this.wide ? this.view.getUint32(hi, true) * 2 ** 32 : 0);
  }
  private lohi16(lo: number, hi: number): number {
    return this.view.getUint16(lo, true) + (this.wide ? this.view.getUint16(hi, true) * 65536 : 0);
  }
  private setLohi16(lo: number, hi: number, v: number): void {
    this.view.setUint16(lo, v & 0xffff, true);
    if (this.wide) this.view.setUint16(hi, Math.floor(v / 65536), true);
  }

  get blockBitmap(): number {
    return this.lohi32(0x0, 0x20);
  }
  get inodeBitmap(): number {
    return this.lohi32(0x4, 0x24);
  }
  get inodeTable(): number {
    return this.lohi32(0x8, 0x28);
  }
  get freeBlocks(): number {
    return this.lohi16(0xc, 0x2c);
  }
  set freeBlocks(v: number) {
    this.setLohi16(0xc, 0x2c, v);
  }
  get freeInodes(): number {
    return this.lohi16(0xe, 0x2e);
  }
  set freeInodes(v: number) {
    this.setLohi16(0xe, 0x2e, v);
  }
  get usedDirs(): number {
    return this.lohi16(0x10, 0x30);
  }
  set usedDirs(v: number) {
    this.setLohi16(0x10, 0x30, v);
  }
  get flags(): number {
    return this.view.getUint16(0x12, true);
  }
  set flags(v: number) {
    this.view.setUint16(0x12, v, true);
  }
  get itableUnused(): number {
    return this.lohi16(0x1c, 0x32);
  }
  set itableUnused(v: number) {
    this.setLohi16(0x1c, 0x32, v);
  }
  get checksum(): number {
    return this.view.getUint16(CHECKSUM_AT, true);
  }

  /** ext4_block_bitmap_csum_set: the low 16 bits always, the high ones in a 64-byte descriptor. */
  setBlockBitmapCsum(csum: number): void {
    this.view.setUint16(0x18, csum & 0xffff, true);
    if (this.wide) this.view.setUint16(0x38, csum >>> 16, true);
  }
  /** ext4_inode_bitmap_csum_set. */
  setInodeBitmapCsum(csum: number): void {
    this.view.setUint16(0x1a, csum & 0xffff, true);
    if (this.wide) this.view.setUint16(0x3a, csum >>> 16, true);
  }
  blockBitmapCsum(): number {
    return this.view.getUint16(0x18, true) + (this.wide ? this.view.getUint16(0x38, true) * 65536 : 0);
  }
  inodeBitmapCsum(): number {
    return this.view.getUint16(0x1a, true) + (this.wide ? this.view.getUint16(0x3a, true) * 65536 : 0);
  }

  /**
   * ext4_group_desc_csum: with metadata_csum the low 16 bits of
   * crc32c(seed, group, descriptor with bg_checksum as zero); with gdt_csum
   * (uninit_bg) crc16 over the uuid, the group number and the descriptor
   * around bg_checksum. 0 with neither feature.
   */
  computeChecksum(sb: Superblock, seed: number): number {
    const le = new Uint8Array(4);
    new DataView(le.buffer).setUint32(0, this.group, true);
    if (sb.hasMetadataCsum) {
      let c = crc32cU32(seed, this.group);
      c = crc32c(c, this.raw, 0, CHECKSUM_AT);
      c = crc32c(c, new Uint8Array(2));
      c = crc32c(c, this.raw, CHECKSUM_AT + 2, this.raw.length);
      return c & 0xffff;
    }
    let c = crc16(0xffff, sb.uuid);
    c = crc16(c, le);
    c = crc16(c, this.raw, 0, CHECKSUM_AT);
    if (this.wide) c = crc16(c, this.raw, CHECKSUM_AT + 2, this.raw.length);
    return c;
  }

  /** ext4_group_desc_csum_set. */
  seal(sb: Superblock, seed: number): void {
    if (sb.hasGroupDescCsum) this.view.setUint16(CHECKSUM_AT, this.computeChecksum(sb, seed), true);
  }

  checksumOk(sb: Superblock, seed: number): boolean {
    return !sb.hasGroupDescCsum || this.computeChecksum(sb, seed) === this.checksum;
  }
}

/** The first block of the primary descriptor table: right after the superblock's block. */
export function gdtStart(sb: Superblock): number {
  return sb.firstDataBlock + 1;
}

/** Blocks the descriptor table takes (ext4_fill_super's db_count). */
export function gdtBlocks(sb: Superblock): number {
  return Math.ceil((sb.groupCount * sb.descSize) / sb.blockSize);
}
