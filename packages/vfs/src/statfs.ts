import { Errno, ST, STATFS_STRUCT } from '@tskern/abi';
import type { Path } from './path';

/**
 * What statfs(2)/fstatfs(2) return (`struct statfs`): the file system's
 * figures, its fsid and the mount's flags.
 */
export interface StatFs {
  readonly type: number;
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
  /** f_fsid's two 32-bit words. */
  readonly fsid: readonly [number, number];
  readonly namelen: number;
  readonly frsize: number;
  /** ST_* flags of the mount (ST_VALID always). */
  readonly flags: number;
}

/**
 * statfs of the file system behind `path`, as fs/statfs.c vfs_statfs: the
 * superblock's figures (ENOSYS when it has none), f_frsize defaulting to
 * f_bsize, the fsid from the device number (simple_statfs:
 * huge_encode_dev(s_dev)) and the mount flags with ST_VALID (tskern mounts
 * are relatime, read-only when the file system is).
 */
export function statfsPath(path: Path): StatFs | number {
  const fs = path.mount.fs;
  if (fs.statfs === undefined) return -Errno.ENOSYS;
  const s = fs.statfs();
  const major = Math.floor(fs.deviceId / 256);
  const minor = fs.deviceId % 256;
  // new_encode_dev: minor's low byte, major, then minor's high bits.
  const dev = (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
  return {
    type: s.magic,
    bsize: s.blockSize,
    blocks: s.blocks,
    bfree: s.freeBlocks,
    bavail: s.availableBlocks,
    files: s.files,
    ffree: s.freeFiles,
    fsid: [dev >>> 0, 0],
    namelen: s.nameMax,
    frsize: s.blockSize,
    flags: ST.ST_VALID | ST.ST_RELATIME | (fs.readOnly ? ST.ST_RDONLY : 0),
  };
}

/** The 120 bytes of `struct statfs` on x86-64 and riscv64 (longs, fsid as two ints, f_spare zeroed). */
export function encodeStatfs(s: StatFs): Uint8Array {
  const out = new Uint8Array(STATFS_STRUCT.size);
  const view = new DataView(out.buffer);
  const long = (offset: number, value: number) => view.setBigInt64(offset, BigInt(value), true);
  long(STATFS_STRUCT.f_type, s.type);
  long(STATFS_STRUCT.f_bsize, s.bsize);
  long(STATFS_STRUCT.f_blocks, s.blocks);
  long(STATFS_STRUCT.f_bfree, s.bfree);
  long(STATFS_STRUCT.f_bavail, s.bavail);
  long(STATFS_STRUCT.f_files, s.files);
  long(STATFS_STRUCT.f_ffree, s.ffree);
  view.setUint32(STATFS_STRUCT.f_fsid, s.fsid[0], true);
  view.setUint32(STATFS_STRUCT.f_fsid + 4, s.fsid[1], true);
  long(STATFS_STRUCT.f_namelen, s.namelen);
  long(STATFS_STRUCT.f_frsize, s.frsize);
  long(STATFS_STRUCT.f_flags, s.flags);
  return out;
}
