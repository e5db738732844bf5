import { Errno, STAT } from '@tskern/abi';
import type { Stat } from '@tskern/vfs';
import { int, readPath } from './args';
import type { FileSyscallContext } from './context';

/** Each timespec's tv_nsec follows its tv_sec (struct timespec). */
const TV_NSEC = 8;

function putTime(view: DataView, at: number, ms: number): void {
  const sec = Math.floor(ms / 1000);
  view.setBigInt64(at, BigInt(sec), true);
  view.setBigInt64(at + TV_NSEC, BigInt(Math.round((ms - sec * 1000) * 1e6)), true);
}

/** `struct stat` for x86-64 (STAT layout, little-endian), fields Linux's cp_new_stat fills. */
export function encodeStat(st: Stat): Uint8Array {
  const out = new Uint8Array(STAT.size);
  const v = new DataView(out.buffer);
  v.setBigUint64(STAT.st_dev, BigInt(st.dev), true);
  v.setBigUint64(STAT.st_ino, BigInt(st.ino), true);
  v.setBigUint64(STAT.st_nlink, BigInt(st.nlink), true);
  v.setUint32(STAT.st_mode, st.mode, true);
  v.setUint32(STAT.st_uid, st.uid, true);
  v.setUint32(STAT.st_gid, st.gid, true);
  v.setBigUint64(STAT.st_rdev, BigInt(st.rdev), true);
  v.setBigInt64(STAT.st_size, BigInt(st.size), true);
  v.setBigInt64(STAT.st_blksize, BigInt(st.blksize), true);
  v.setBigInt64(STAT.st_blocks, BigInt(st.blocks), true);
  putTime(v, STAT.st_atime, st.atime);
  putTime(v, STAT.st_mtime, st.mtime);
  putTime(v, STAT.st_ctime, st.ctime);
  return out;
}

function copyStat(ctx: FileSyscallContext, st: Stat | number, buf: number): number {
  if (typeof st === 'number') return st;
  const bytes = encodeStat(st);
  return ctx.mem.copyOut(buf, bytes, 0, bytes.length) < 0 ? -Errno.EFAULT : 0;
}

/** fstat(2) (O_PATH descriptors too). */
export function sysFstat(ctx: FileSyscallContext, fd: number, buf: number): number {
  const file = ctx.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return copyStat(ctx, file.stat(), buf);
}

function statPath(ctx: FileSyscallContext, pathAddr: number, buf: number, follow: boolean): number {
  const path = readPath(ctx.mem, pathAddr);
  if (typeof path === 'number') return path;
  return copyStat(ctx, ctx.vfs.stat(ctx, path, follow), buf);
}

/** stat(2). */
export function sysStat(ctx: FileSyscallContext, pathAddr: number, buf: number): number {
  return statPath(ctx, pathAddr, buf, true);
}

/** lstat(2): a final symlink is not followed. */
export function sysLstat(ctx: FileSyscallContext, pathAddr: number, buf: number): number {
  return statPath(ctx, pathAddr, buf, false);
}
