import { crc32c, crc32cU32 } from './checksums';

/** i_flags bits (fs/ext4/ext4.h EXT4_*_FL) this package acts on. */
export const INODE_FL = {
  INDEX: 0x1000,
  HUGE_FILE: 0x40000,
  EXTENTS: 0x80000,
  EA_INODE: 0x200000,
  INLINE_DATA: 0x10000000,
} as const;

/** The size of the fixed part (EXT2_GOOD_OLD_INODE_SIZE). */
export const GOOD_OLD_INODE_SIZE = 128;
const CSUM_LO = 0x7c;
const CSUM_HI = 0x82;

/** A time as ext4 keeps it: seconds in the base field, nanoseconds and epoch bits in the _extra field. */
export interface DiskTime {
  readonly seconds: number;
  readonly nanoseconds: number;
}

/**
 * One on-disk inode (struct ext4_inode, Documentation/filesystems/ext4/
 * inodes.rst) as a view over a copy of its s_inode_size bytes; `raw` goes
 * back into the inode table block on write-back, so fields this package
 * does not interpret (xattrs in the inode body, i_version) are kept.
 */
export class DiskInode {
  readonly view: DataView;

  constructor(readonly raw: Uint8Array) {
    this.view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  }

  private u16(o: number): number {
    return this.view.getUint16(o, true);
  }
  private u32(o: number): number {
    return this.view.getUint32(o, true);
  }

  get mode(): number {
    return this.u16(0x0);
  }
  set mode(v: number) {
    this.view.setUint16(0x0, v, true);
  }
  /** i_uid with l_i_uid_high. */
  get uid(): number {
    return this.u16(0x2) | (this.u16(0x78) << 16);
  }
  set uid(v: number) {
    this.view.setUint16(0x2, v & 0xffff, true);
    this.view.setUint16(0x78, v >>> 16, true);
  }
  get gid(): number {
    return this.u16(0x18) | (this.u16(0x7a) << 16);
  }
  set gid(v: number) {
    this.view.setUint16(0x18, v & 0xffff, true);
    this.view.setUint16(0x7a, v >>> 16, true);
  }
  /** i_size_lo with i_size_high (every file type since ext4; large_file for ext2/3 files). */
  get size(): number {
    return this.u32(0x4) + this.u32(0x6c) * 2 ** 32;
  }
  set size(v: number) {
    this.view.setUint32(0x4, v % 2 ** 32, true);
    this.view.setUint32(0x6c, Math.floor(v / 2 ** 32), true);
  }
  get linksCount(): number {
    return this.u16(0x1a);
  }
  set linksCount(v: number) {
    this.view.setUint16(0x1a, v, true);
  }
  get dtime(): number {
    return this.u32(0x14);
  }
  set dtime(v: number) {
    this.view.setUint32(0x14, v, true);
  }
  get flags(): number {
    return this.u32(0x20);
  }
  set flags(v: number) {
    this.view.setUint32(0x20, v >>> 0, true);
  }
  /**
   * i_blocks in 512-byte sectors (ext4_inode_blocks): the 48-bit count with
   * huge_file, in file system blocks when the inode has EXT4_HUGE_FILE_FL.
   */
  sectors(blockSize: number, hugeFile: boolean): number {
    const n = this.u32(0x1c) + (hugeFile ? this.u16(0x74) * 2 ** 32 : 0);
    return (this.flags & INODE_FL.HUGE_FILE) !== 0 ? n * (blockSize / 512) : n;
  }
  /** ext4_inode_blocks_set for a count below 2^48 sectors (no HUGE_FILE_FL needed). */
  setSectors(n: number): void {
    this.view.setUint32(0x1c, n % 2 ** 32, true);
    this.view.setUint16(0x74, Math.floor(n / 2 ** 32), true);
    this.flags = this.flags & ~INODE_FL.HUGE_FILE;
  }
  get generation(): number {
    return this.u32(0x64);
  }
  set generation(v: number) {
    this.view.setUint32(0x64, v >>> 0, true);
  }
  /** i_file_acl: the extended attribute block. */
  get fileAcl(): number {
    return this.u32(0x68) + this.u16(0x76) * 2 ** 32;
  }
  /** i_block: the 60 bytes holding the extent root, the block map, or a fast symlink's target. */
  get iblock(): Uint8Array {
    return this.raw.subarray(0x28, 0x28 + 60);
  }
  /** i_extra_isize: bytes of the extra fields present past 128 (0 for a 128-byte inode). */
  get extraIsize(): number {
    return this.raw.length > GOOD_OLD_INODE_SIZE ? this.u16(0x80) : 0;
  }
  set extraIsize(v: number) {
    if (this.raw.length > GOOD_OLD_INODE_SIZE) this.view.setUint16(0x80, v, true);
  }
  /** Whether the extra field ending at byte `end` is present (EXT4_FITS_IN_INODE). */
  private fits(end: number): boolean {
    return GOOD_OLD_INODE_SIZE + this.extraIsize >= end;
  }

  /** A time field (base at `at`, _extra at `extraAt`; `extraAt` 0 for none, as dtime). */
  private time(at: number, extraAt: number): DiskTime {
    const base = this.view.getInt32(at, true);
    if (!this.fits(extraAt + 4)) return { seconds: base, nanoseconds: 0 };
    const extra = this.u32(extraAt);
    // ext4_decode_extra_time: the 2 epoch bits extend the signed 32-bit seconds.
    return { seconds: base + (extra & 3) * 2 ** 32, nanoseconds: extra >>> 2 };
  }
  private setTime(at: number, extraAt: number, ms: number): void {
    const seconds = Math.floor(ms / 1000);
    const nanoseconds = Math.round((ms - seconds * 1000) * 1e6);
    this.view.setInt32(at, Number(BigInt.asIntN(32, BigInt(seconds))), true);
    if (this.fits(extraAt + 4)) {
      const epoch = Math.floor((seconds - this.view.getInt32(at, true)) / 2 ** 32) & 3;
      this.view.setUint32(extraAt, ((nanoseconds << 2) | epoch) >>> 0, true);
    }
  }
  get atime(): DiskTime {
    return this.time(0x8, 0x8c);
  }
  get ctime(): DiskTime {
    return this.time(0xc, 0x84);
  }
  get mtime(): DiskTime {
    return this.time(0x10, 0x88);
  }
  setAtime(ms: number): void {
    this.setTime(0x8, 0x8c, ms);
  }
  setCtime(ms: number): void {
    this.setTime(0xc, 0x84, ms);
  }
  setMtime(ms: number): void {
    this.setTime(0x10, 0x88, ms);
  }
  setCrtime(ms: number): void {
    if (this.fits(0x94)) this.setTime(0x90, 0x94, ms);
  }

  /**
   * ext4_inode_csum: crc32c from the inode's seed (s_csum_seed, then the
   * inode number and generation) over the whole inode with both checksum
   * fields as zeros; 32 bits when i_checksum_hi exists, else the low 16.
   */
  computeChecksum(csumSeed: number, ino: number): number {
    let c = crc32cU32(crc32cU32(csumSeed, ino), this.generation);
    const zero = new Uint8Array(2);
    c = crc32c(c, this.raw, 0, CSUM_LO);
    c = crc32c(c, zero);
    c = crc32c(c, this.raw, CSUM_LO + 2, GOOD_OLD_INODE_SIZE);
    if (this.raw.length > GOOD_OLD_INODE_SIZE) {
      c = crc32c(c, this.raw, GOOD_OLD_INODE_SIZE, CSUM_HI);
      if (this.fits(CSUM_HI + 2)) c = crc32c(c, zero);
      else c = crc32c(c, this.raw, CSUM_HI, CSUM_HI + 2);
      c = crc32c(c, this.raw, CSUM_HI + 2, this.raw.length);
    }
    return this.fits(CSUM_HI + 2) ? c : c & 0xffff;
  }

  checksum(): number {
    return this.u16(CSUM_LO) + (this.fits(CSUM_HI + 2) ? this.u16(CSUM_HI) * 65536 : 0);
  }

  /** ext4_inode_csum_set. */
  seal(csumSeed: number, ino: number): void {
    const c = this.computeChecksum(csumSeed, ino);
    this.view.setUint16(CSUM_LO, c & 0xffff, true);
    if (this.fits(CSUM_HI + 2)) this.view.setUint16(CSUM_HI, c >>> 16, true);
  }
}

/** The seed of an inode's own metadata checksums (extent blocks, directory blocks): ext4_inode_csum_seed. */
export function inodeCsumSeed(csumSeed: number, ino: number, generation: number): number {
  return crc32cU32(crc32cU32(csumSeed, ino), generation);
}
