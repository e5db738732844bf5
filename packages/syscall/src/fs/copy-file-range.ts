import { Errno, fileOffset, O, offsetAdd, offsetBig, S, type FileOffset } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import { int, MAX_RW_COUNT } from './args';
import { limitWrite } from './file-size-limit';

const U64 = 1n << 64n;
const LLONG_MAX = (1n << 63n) - 1n;
/** Bytes moved per step. */
const CHUNK = 64 * 1024;

function readOffset(task: Task, addr: number): FileOffset | null {
  const raw = new Uint8Array(8);
  if (task.mem.copyIn(addr, raw, 0, 8) < 0) return null;
  return fileOffset(new DataView(raw.buffer).getBigInt64(0, true));
}

function writeOffset(task: Task, addr: number, pos: FileOffset): boolean {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setBigInt64(0, offsetBig(pos), true);
  return task.mem.copyOut(addr, raw, 0, 8) >= 0;
}

/** `pos + count` wraps as the kernel's unsigned sum (loff_t + size_t): a negative position does. */
function wraps(pos: FileOffset, count: number): boolean {
  return ((offsetBig(pos) + U64) % U64) + BigInt(count) >= U64;
}

/**
 * generic_copy_file_checks (Linux 6.18): directories EISDIR, anything not
 * regular EINVAL, a descriptor not open for reading/writing or an O_APPEND
 * output EBADF, two file systems EXDEV (no tskern file system copies across
 * instances, as none has ->copy_file_range), a wrapping range EOVERFLOW;
 * the count is cut at the input's end and at the output's s_maxbytes
 * (EFBIG at or past it), and an overlap within one file is EINVAL. The
 * count to copy, or -errno.
 */
function copyChecks(task: Task, input: OpenFileDescription, posIn: FileOffset, output: OpenFileDescription, posOut: FileOffset, len: number): number {
  const a = input.inode;
  const b = output.inode;
  if ((a.mode & S.S_IFMT) === S.S_IFDIR || (b.mode & S.S_IFMT) === S.S_IFDIR) return -Errno.EISDIR;
  if ((a.mode & S.S_IFMT) !== S.S_IFREG || (b.mode & S.S_IFMT) !== S.S_IFREG) return -Errno.EINVAL;
  if (!input.readable || !output.writable || (output.getFlags() & O.O_APPEND) !== 0) return -Errno.EBADF;
  if (a.fs !== b.fs) return -Errno.EXDEV;
  if (wraps(posIn, len) || wraps(posOut, len)) return -Errno.EOVERFLOW;
  const size = offsetBig(a.size());
  const start = offsetBig(posIn);
  let count = start >= size ? 0 : Number(BigInt(len) < size - start ? BigInt(len) : size - start);
  const max = offsetBig(b.fs.maxFileSize);
  const out = offsetBig(posOut);
  if (count > 0) {
    if (out >= max) return -Errno.EFBIG; // generic_write_check_limits
    if (out + BigInt(count) > max) count = Number(max - out);
    const limited = limitWrite(task, output, posOut, count); // RLIMIT_FSIZE: EFBIG and SIGXFSZ
    if (limited < 0) return limited;
    count = limited;
  }
  if (a === b && out + BigInt(count) > start && out < start + BigInt(count)) return -Errno.EINVAL;
  return count;
}

/**
 * copy_file_range(2) (fs/read_write.c): copy within one file system from
 * `fdIn` to `fdOut` without the bytes passing through the caller. Each
 * offset pointer, when given, is read first (EFAULT) and receives the new
 * offset; a missing one means the descriptor's position, which then
 * advances. Flags must be 0 (EINVAL); the descriptors are looked at first
 * (EBADF). Then copyChecks, and rw_verify_area's EINVAL for a negative
 * position or an end past 2^63 - 1. Copies at most MAX_RW_COUNT bytes.
 */
export function sysCopyFileRange(task: Task, fdIn: number, offInAddr: number, fdOut: number, offOutAddr: number, len: number, flags: number): number {
  const input = task.files.get(int(fdIn));
  if (input === null || input.isPathOnly) return -Errno.EBADF;
  const output = task.files.get(int(fdOut));
  if (output === null || output.isPathOnly) return -Errno.EBADF;
  const posIn = offInAddr !== 0 ? readOffset(task, offInAddr) : input.pos;
  if (posIn === null) return -Errno.EFAULT;
  const posOut = offOutAddr !== 0 ? readOffset(task, offOutAddr) : output.pos;
  if (posOut === null) return -Errno.EFAULT;
  if (flags >>> 0 !== 0) return -Errno.EINVAL;
  const checked = copyChecks(task, input, posIn, output, posOut, len);
  if (checked < 0) return checked;
  const count = Math.min(checked, MAX_RW_COUNT);
  for (const pos of [posIn, posOut]) {
    if (pos < 0 || offsetBig(pos) + BigInt(count) > LLONG_MAX) return -Errno.EINVAL;
  }
  if (count === 0) return 0;
  const buf = new Uint8Array(Math.min(count, CHUNK));
  let done = 0;
  while (done < count) {
    const n = input.pread(buf, 0, Math.min(buf.length, count - done), offsetAdd(posIn, done));
    if (n < 0) {
      if (done === 0) return n;
      break;
    }
    if (n === 0) break;
    const put = output.pwrite(buf, 0, n, offsetAdd(posOut, done), task.cred);
    if (put < 0) {
      if (done === 0) return put;
      break;
    }
    done += put;
    if (put < n) break;
  }
  if (done > 0) {
    if (offInAddr !== 0) {
      if (!writeOffset(task, offInAddr, offsetAdd(posIn, done))) return -Errno.EFAULT;
    } else input.pos = offsetAdd(posIn, done);
    if (offOutAddr !== 0) {
      if (!writeOffset(task, offOutAddr, offsetAdd(posOut, done))) return -Errno.EFAULT;
    } else output.pos = offsetAdd(posOut, done);
  }
  return done;
}
