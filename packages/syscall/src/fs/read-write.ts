import { countBelow, Errno, MAX_LFS_FILESIZE, O, offsetAdd, S, type FileOffset } from '@tskern/abi';
import type { OpenFileDescription } from '@tskern/vfs';
import { limitWrite } from './file-size-limit';
import { accessOk, copyInPartial, copyOutPartial, int, MAX_RW_COUNT } from './args';
import type { Task } from '@tskern/tasks';

const EMPTY = new Uint8Array(0);

/**
 * Page-cache files (regular files that can be mapped: ramfs, shmfs, hostfs)
 * take the zero-copy path: their size says where reads stop, so no user page
 * is faulted in for bytes that will not come. Others (procfs files report
 * size 0) go through a kernel buffer.
 */
function isRegular(file: OpenFileDescription): boolean {
  return (file.inode.mode & S.S_IFMT) === S.S_IFREG && typeof file.inode.mappable === 'function';
}

/** Bytes moved through the kernel per step: a big read or write goes in pieces of this size. */
const CHUNK = 64 * 1024;

/**
 * Read from `file` at `pos` into user memory at `buf`: piece by piece, each
 * piece read then copied out; a fault stops the copy where it happened
 * (copy_page_to_iter). Returns the count copied, -EFAULT when nothing could
 * be, or the file's error when nothing was read.
 */
function readToUser(task: Task, file: OpenFileDescription, buf: number, count: number, pos: FileOffset): number {
  if (count === 0) return file.pread(EMPTY, 0, 0, pos); // still EISDIR for a directory
  // O_DIRECT: the alignment of the whole request, and the write-back before it
  const direct = file.beginDirectIo(pos, count, false);
  if (direct < 0) return direct;
  if (task.mem.chunks !== undefined && isRegular(file)) {
    // One copy, page cache to the user's frames; never past EOF, so no user
    // page is faulted in for bytes that will not come.
    const size = file.inode.size();
    const want = pos >= size ? 0 : countBelow(count, pos, size);
    if (want === 0) return 0;
    let err = 0;
    const r = task.mem.chunks(buf, want, true, (bytes, offset, n) => {
      const got = file.pread(bytes, offset, n, pos);
      if (got < 0) {
        err = got;
        return 0;
      }
      pos = offsetAdd(pos, got);
      return got;
    });
    return r === 0 && err < 0 ? err : r;
  }
  const kbuf = new Uint8Array(Math.min(count, CHUNK));
  let total = 0;
  while (total < count) {
    const want = Math.min(kbuf.length, count - total);
    const n = file.pread(kbuf, 0, want, offsetAdd(pos, total));
    if (n < 0) return total > 0 ? total : n;
    if (n === 0) break;
    const copied = copyOutPartial(task.mem, buf + total, kbuf, 0, n);
    total += copied;
    if (copied < n) return total > 0 ? total : -Errno.EFAULT;
    if (n < want) break;
  }
  return total;
}

/**
 * Write user memory at `buf` to `file` (at `pos`, or at the file position
 * when `pos` is null): piece by piece, each copied in then written; a fault
 * ends the write after what was copied (generic_perform_write). The
 * writer's credentials, not the opener's, decide whether set-id bits are
 * cleared (file_remove_privs looks at current).
 */
function writeFromUser(task: Task, file: OpenFileDescription, buf: number, count: number, pos: FileOffset | null): number {
  if (count === 0) return pos === null ? file.write(EMPTY, 0, 0, task.cred) : file.pwrite(EMPTY, 0, 0, pos, task.cred);
  // O_DIRECT: the alignment of the whole request, where it will land (the end under O_APPEND)
  const start = (file.getFlags() & O.O_APPEND) !== 0 ? file.inode.size() : (pos ?? file.pos);
  const direct = file.beginDirectIo(start, count, true);
  if (direct < 0) return direct;
  if (task.mem.chunks !== undefined && isRegular(file)) {
    // One copy, the user's frames to the page cache.
    let err = 0;
    let at = pos;
    const r = task.mem.chunks(buf, count, false, (bytes, offset, n) => {
      const put = at === null ? file.write(bytes, offset, n, task.cred) : file.pwrite(bytes, offset, n, at, task.cred);
      if (put < 0) {
        err = put;
        return 0;
      }
      if (at !== null) at = offsetAdd(at, put);
      return put;
    });
    return r === 0 && err < 0 ? err : r;
  }
  const kbuf = new Uint8Array(Math.min(count, CHUNK));
  let total = 0;
  while (total < count) {
    const want = Math.min(kbuf.length, count - total);
    const copied = copyInPartial(task.mem, buf + total, kbuf, 0, want);
    if (copied === 0) return total > 0 ? total : -Errno.EFAULT;
    const n = pos === null ? file.write(kbuf, 0, copied, task.cred) : file.pwrite(kbuf, 0, copied, offsetAdd(pos, total), task.cred);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < want) break;
  }
  return total;
}

/**
 * The checks vfs_read/vfs_write make before moving data: the descriptor (EBADF,
 * also when not open for that direction), the user range (EFAULT); the count
 * is clamped to MAX_RW_COUNT.
 */
function prepare(task: Task, fd: number, buf: number, count: number, write: boolean): [OpenFileDescription, number] | number {
  const file = task.files.get(int(fd));
  if (file === null || !(write ? file.writable : file.readable)) return -Errno.EBADF;
  if (!accessOk(buf, count)) return -Errno.EFAULT;
  return [file, Math.min(count, MAX_RW_COUNT)];
}

/**
 * rw_verify_area's overflow check: a transfer whose end would pass
 * LLONG_MAX (a negative loff_t in C) is EINVAL, for reads and writes alike,
 * before the count is clamped (Linux 6.18 tmpfs: pwrite of 1 byte at
 * 2^63 - 1, pread of 2 at 2^63 - 2). Only a bigint position can get there.
 */
function endOverflows(pos: FileOffset, count: number): boolean {
  return typeof pos !== 'number' && offsetAdd(pos, count) > MAX_LFS_FILESIZE;
}

/** read(2): from the file position, which advances by what reached the caller. */
export function sysRead(task: Task, fd: number, buf: number, count: number): number {
  const p = prepare(task, fd, buf, count, false);
  if (typeof p === 'number') return p;
  const [file, n] = p;
  if (endOverflows(file.pos, count)) return -Errno.EINVAL;
  const r = readToUser(task, file, buf, n, file.pos);
  if (r > 0 && file.movesPosition) file.pos = offsetAdd(file.pos, r);
  return r;
}

/** write(2): at the file position (the end under O_APPEND). */
export function sysWrite(task: Task, fd: number, buf: number, count: number): number {
  const p = prepare(task, fd, buf, count, true);
  if (typeof p === 'number') return p;
  if (endOverflows(p[0].pos, count)) return -Errno.EINVAL;
  const n = limitWrite(task, p[0], null, p[1]);
  if (n < 0) return n;
  return writeFromUser(task, p[0], buf, n, null);
}

/** pread64(2): a negative offset is EINVAL before the descriptor is looked at (ksys_pread64). */
export function sysPread64(task: Task, fd: number, buf: number, count: number, pos: FileOffset): number {
  if (pos < 0) return -Errno.EINVAL;
  const p = prepare(task, fd, buf, count, false);
  if (typeof p === 'number') return p;
  if (endOverflows(pos, count)) return -Errno.EINVAL;
  return readToUser(task, p[0], buf, p[1], pos);
}

/** pwrite64(2). */
export function sysPwrite64(task: Task, fd: number, buf: number, count: number, pos: FileOffset): number {
  if (pos < 0) return -Errno.EINVAL;
  const p = prepare(task, fd, buf, count, true);
  if (typeof p === 'number') return p;
  if (endOverflows(pos, count)) return -Errno.EINVAL;
  const n = limitWrite(task, p[0], pos, p[1]);
  if (n < 0) return n;
  return writeFromUser(task, p[0], buf, n, pos);
}
