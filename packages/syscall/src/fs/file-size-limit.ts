import { Errno, O, RLIM_INFINITY, RLIMIT, S, type FileOffset } from '@tskern/abi';
import { SIG, userSigInfo } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import { limitNumber, limitsOf } from '../proc/rlimits';
import { sendSignal } from '../signal/send-signal';

/** RLIMIT_FSIZE's soft limit in bytes (Infinity for RLIM_INFINITY). */
function fsizeLimit(task: Task): number {
  return limitNumber(limitsOf(task).cur[RLIMIT.RLIMIT_FSIZE]!);
}

/** The writer passed its file size limit: SIGXFSZ to it (send_sig(SIGXFSZ, current, 0)), and EFBIG. */
function tooBig(task: Task): number {
  sendSignal(task, userSigInfo(SIG.SIGXFSZ, task.pid, task.cred.uid), true);
  return -Errno.EFBIG;
}

/**
 * generic_write_check_limits' RLIMIT_FSIZE part, for a write of `count` (> 0)
 * bytes to a regular file at `pos` (null: the file position; the end
 * under O_APPEND, for pwrite too): a write starting at or past the limit is EFBIG with
 * SIGXFSZ, even inside the current size; one crossing it is cut short at the
 * limit. The count to write, or -EFBIG.
 */
export function limitWrite(task: Task, file: OpenFileDescription, pos: FileOffset | null, count: number): number {
  if (count === 0 || (file.inode.mode & S.S_IFMT) !== S.S_IFREG) return count;
  const cur = limitsOf(task).cur[RLIMIT.RLIMIT_FSIZE]!;
  if (cur === RLIM_INFINITY) return count; // the usual case: one comparison per write
  const limit = limitNumber(cur);
  const at = (file.getFlags() & O.O_APPEND) !== 0 ? file.inode.size() : (pos ?? file.pos);
  if (at >= limit) return tooBig(task);
  return Math.min(count, limit - (at as number)); // below a limit under 2^53: a number
}

/**
 * inode_newsize_ok's RLIMIT_FSIZE part: growing a file past the limit
 * (truncate, ftruncate, fallocate without PUNCH_HOLE, KEEP_SIZE included on
 * tmpfs) is EFBIG with SIGXFSZ; shrinking never is. 0 when allowed.
 */
export function limitNewSize(task: Task, size: FileOffset, newSize: FileOffset): number {
  if (newSize <= size || newSize <= fsizeLimit(task)) return 0;
  return tooBig(task);
}
