import type { Stat } from '@tskern/vfs';

/** Where each field of a `struct stat` lives, and how wide the narrow ones are. */
export interface StatLayout {
  readonly size: number;
  readonly st_dev: number;
  readonly st_ino: number;
  readonly st_nlink: number;
  readonly st_mode: number;
  readonly st_uid: number;
  readonly st_gid: number;
  readonly st_rdev: number;
  readonly st_size: number;
  readonly st_blksize: number;
  readonly st_blocks: number;
  readonly st_atime: number;
  readonly st_mtime: number;
  readonly st_ctime: number;
}

/** Each timespec's tv_nsec follows its tv_sec (struct timespec). */
const TV_NSEC = 8;

function putTime(view: DataView, at: number, ms: number): void {
  const sec = Math.floor(ms / 1000);
  view.setBigInt64(at, BigInt(sec), true);
  view.setBigInt64(at + TV_NSEC, BigInt(Math.round((ms - sec * 1000) * 1e6)), true);
}

/**
 * Encode `st` as `layout` says, little-endian (cp_new_stat). `wideNlink`:
 * st_nlink is 64-bit (x86-64) rather than 32-bit (asm-generic); `wideBlksize`
 * likewise for st_blksize.
 */
export function encodeStatAs(layout: StatLayout, wide: boolean, st: Stat): Uint8Array {
  const out = new Uint8Array(layout.size);
  const v = new DataView(out.buffer);
  v.setBigUint64(layout.st_dev, BigInt(st.dev), true);
  v.setBigUint64(layout.st_ino, BigInt(st.ino), true);
  if (wide) v.setBigUint64(layout.st_nlink, BigInt(st.nlink), true);
  else v.setUint32(layout.st_nlink, st.nlink, true);
  v.setUint32(layout.st_mode, st.mode, true);
  v.setUint32(layout.st_uid, st.uid, true);
  v.setUint32(layout.st_gid, st.gid, true);
  v.setBigUint64(layout.st_rdev, BigInt(st.rdev), true);
  v.setBigInt64(layout.st_size, BigInt(st.size), true);
  if (wide) v.setBigInt64(layout.st_blksize, BigInt(st.blksize), true);
  else v.setInt32(layout.st_blksize, st.blksize, true);
  v.setBigInt64(layout.st_blocks, BigInt(st.blocks), true);
  putTime(v, layout.st_atime, st.atime);
  putTime(v, layout.st_mtime, st.mtime);
  putTime(v, layout.st_ctime, st.ctime);
  return out;
}
