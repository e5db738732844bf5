import { Errno, fileOffset, MAX_LFS_FILESIZE, O, offsetAdd, offsetBig, S, type FileOffset } from '@tskern/abi';
import { pipeEndOf, pipeWrite, type PipeEnd } from '@tskern/pipe';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import { isDir, type OpenFileDescription } from '@tskern/vfs';
import type { SyscallReturn } from '../block';
import { int, MAX_RW_COUNT } from '../fs/args';
import { limitWrite } from '../fs/file-size-limit';
import { blockingServices } from './services';

/** The signal a write to a pipe with no reader raises. */
const SIGPIPE = 13;
/** Bytes moved through the kernel per step (splice's internal pipe holds 16 pages). */
const CHUNK = 64 * 1024;

/**
 * Whether `file` can be spliced from (f_op->splice_read): pipes, sockets
 * and directories have none (do_splice_read's warn_unsupported: EINVAL);
 * regular files, the mem.c devices and procfs's seq files do.
 */
function canSpliceRead(file: OpenFileDescription): boolean {
  return pipeEndOf(file) === null && !isDir(file.inode.mode) && (file.inode.mode & S.S_IFMT) !== S.S_IFSOCK;
}

/**
 * rw_verify_area's position check: a negative position, or a transfer whose
 * end passes LLONG_MAX, is EINVAL (Linux 6.18: offset 2^63 - 1 with count 1).
 */
function badRange(pos: FileOffset, count: number): boolean {
  return pos < 0 || offsetBig(pos) + BigInt(count) > offsetBig(MAX_LFS_FILESIZE);
}

/** The smaller of the two files' s_maxbytes (do_sendfile's `max`). */
function maxBytes(a: OpenFileDescription, b: OpenFileDescription): bigint {
  const x = offsetBig(a.inode.fs.maxFileSize);
  const y = offsetBig(b.inode.fs.maxFileSize);
  return x < y ? x : y;
}

/**
 * sendfile(2) and sendfile64 (fs/read_write.c do_sendfile): copy up to
 * `count` bytes from `inFd` at a position to `outFd`. The order of checks is
 * Linux's: the offset is read (EFAULT), `inFd` must be open for reading
 * (EBADF) and, with an offset, positionable (ESPIPE: a pipe), the range must
 * be valid (EINVAL), then `outFd` must be open for writing (EBADF); a range
 * past the smaller s_maxbytes is cut there (EOVERFLOW when nothing is left).
 * A file without splice_read (a pipe, a directory) is EINVAL, as is an
 * O_APPEND `outFd` (do_splice_direct). With `offsetAddr` 0 the transfer
 * starts at and advances `inFd`'s position; otherwise it starts at
 * `*offsetAddr`, which receives the new offset, and the position stays.
 *
 * To a pipe (splice_file_to_pipe) one step moves what fits: a full pipe
 * sleeps as write(2) does (EAGAIN under O_NONBLOCK on either file), a pipe
 * without reader raises SIGPIPE (EPIPE). To any other file
 * (do_splice_direct) everything up to `count` or end of file is written.
 */
export function sysSendfile(task: Task, outFd: number, inFd: number, offsetAddr: number, count: number): SyscallReturn {
  let pos: FileOffset | null = null;
  if (offsetAddr !== 0) {
    const raw = new Uint8Array(8);
    if (task.mem.copyIn(offsetAddr, raw, 0, 8) < 0) return -Errno.EFAULT;
    pos = fileOffset(new DataView(raw.buffer).getBigInt64(0, true));
  }
  const input = task.files.get(int(inFd));
  if (input === null || !input.readable) return -Errno.EBADF;
  if (pos !== null && input.isStream) return -Errno.ESPIPE; // no FMODE_PREAD
  let at = pos ?? input.pos;
  if (badRange(at, count)) return -Errno.EINVAL;
  let want = Math.min(count, MAX_RW_COUNT);
  const output = task.files.get(int(outFd));
  if (output === null || !output.writable) return -Errno.EBADF;
  const max = maxBytes(input, output);
  if (offsetBig(at) + BigInt(want) > max) {
    if (offsetBig(at) >= max) return -Errno.EOVERFLOW;
    want = Number(max - offsetBig(at));
  }
  if (!canSpliceRead(input)) return -Errno.EINVAL;
  const finish = (done: number): number => {
    if (pos === null) {
      if (input.movesPosition) input.pos = at;
    } else {
      const raw = new Uint8Array(8);
      new DataView(raw.buffer).setBigInt64(0, offsetBig(at), true);
      if (task.mem.copyOut(offsetAddr, raw, 0, 8) < 0) return -Errno.EFAULT;
    }
    return done;
  };
  const end = pipeEndOf(output);
  if (end !== null) return toPipe(task, input, output, end, () => at, (n) => (at = offsetAdd(at, n)), want, finish);
  if ((output.getFlags() & O.O_APPEND) !== 0) return -Errno.EINVAL;
  const limited = limitWrite(task, output, null, want);
  if (limited < 0) return limited;
  const buf = new Uint8Array(Math.min(limited, CHUNK));
  let done = 0;
  while (done < limited) {
    const n = input.pread(buf, 0, Math.min(buf.length, limited - done), at);
    if (n < 0) return done > 0 ? finish(done) : n;
    if (n === 0) break;
    const put = output.write(buf, 0, n, task.cred);
    if (put < 0) return done > 0 ? finish(done) : put;
    at = offsetAdd(at, put);
    done += put;
    if (put < n) break;
  }
  return finish(done);
}

/**
 * splice_file_to_pipe: wait until the pipe has room (wait_for_space), then
 * fill what fits in one go. Bytes read past what the pipe took are not
 * consumed: the input is read at a position, so they are read again next time.
 */
function toPipe(
  task: Task,
  input: OpenFileDescription,
  output: OpenFileDescription,
  end: PipeEnd,
  at: () => FileOffset,
  advance: (n: number) => void,
  want: number,
  finish: (done: number) => number,
): SyscallReturn {
  if (want === 0) return finish(0);
  const nonblock = ((input.getFlags() | output.getFlags()) & O.O_NONBLOCK) !== 0;
  const attempt = (): SyscallReturn => {
    const buf = new Uint8Array(Math.min(want, end.pipe.capacity));
    const n = input.pread(buf, 0, buf.length, at());
    if (n <= 0) return n < 0 ? n : finish(0);
    const r = pipeWrite(output, end, buf, 0, n);
    const put = typeof r === 'number' ? r : r.count;
    if (put > 0) {
      advance(put);
      return finish(put);
    }
    if (typeof r !== 'number' && r.kind === 'broken') {
      blockingServices(task).raiseSignal(task, SIGPIPE);
      return -Errno.EPIPE;
    }
    if (nonblock) return -Errno.EAGAIN;
    return { reason: `sendfile ${end.pipe.name}`, on: [waitOn(end.pipe.writeWait)], restart: 'sys', retry: attempt, cancel: () => {} };
  };
  return attempt();
}
