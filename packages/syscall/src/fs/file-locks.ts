import { Errno, F_LOCK, FLOCK_STRUCT, LOCK, LOCK_TYPE, OFFSET_MAX, SEEK } from '@tskern/abi';
import {
  descriptionLockOwner,
  FlockTable,
  processLockOwner,
  RecordLockTable,
  reportedPid,
  type LockOwner,
  type PendingLock,
  type RecordLockType,
} from '@tskern/locks';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import type { Block, SyscallReturn } from '../block';
import { WakeEvent } from '../blocking/wake-event';
import { int } from './args';

/** LOCK_MAND: the old mandatory flock bits, ignored (flock answers 0), as Linux since 5.15. */
const LOCK_MAND = 32;

/** The file locks of one kernel (fs/locks.c's state), keyed by the kernel the tasks run in. */
interface KernelLocks {
  readonly records: RecordLockTable;
  readonly flocks: FlockTable;
}

const kernels = new WeakMap<object, KernelLocks>();

/** The lock tables of the kernel `task` runs in. */
export function kernelLocks(task: Task): KernelLocks {
  let k = kernels.get(task.kernel);
  if (k === undefined) {
    k = { records: new RecordLockTable(), flocks: new FlockTable() };
    kernels.set(task.kernel, k);
  }
  return k;
}

/** A process's POSIX lock owner: its fd table, as Linux's fl_owner is current->files. */
const processOwners = new WeakMap<object, LockOwner>();
/** An open file description's OFD lock owner. */
const descriptionOwners = new WeakMap<OpenFileDescription, LockOwner>();
const releaseHooked = new WeakSet<OpenFileDescription>();

function posixOwner(task: Task, locks: KernelLocks): LockOwner {
  const files = task.files;
  let owner = processOwners.get(files);
  if (owner === undefined) {
    const made = processLockOwner(task.pid);
    processOwners.set(files, made);
    // filp_flush -> locks_remove_posix: closing any descriptor of a file drops
    // every POSIX lock the process holds on it (close, dup2 over it, exec, exit).
    files.addCloseListener((file) => locks.records.release(file.inode, made));
    owner = made;
  }
  return owner;
}

/** __fput -> locks_remove_file: the last close of a description drops its OFD and flock locks. */
function hookRelease(file: OpenFileDescription, locks: KernelLocks): void {
  if (releaseHooked.has(file)) return;
  releaseHooked.add(file);
  file.addReleaseListener((f) => {
    const owner = descriptionOwners.get(f);
    if (owner !== undefined) locks.records.release(f.inode, owner);
    locks.flocks.release(f.inode, f);
  });
}

function descriptionOwner(task: Task, file: OpenFileDescription, locks: KernelLocks): LockOwner {
  let owner = descriptionOwners.get(file);
  if (owner === undefined) {
    owner = descriptionLockOwner(task.pid);
    descriptionOwners.set(file, owner);
    hookRelease(file, locks);
  }
  return owner;
}

/**
 * Ask for a lock that may have to wait (F_SETLKW, F_OFD_SETLKW, flock
 * without LOCK_NB): `request` queues it with a completion callback and
 * answers 0/-errno at once or the pending request. A pending one becomes a
 * Block: it is granted (or fails with EDEADLK) inside the call that frees
 * the bytes, whose completion wakes this task through a WakeEvent. A signal
 * withdraws it and the call fails with EINTR or restarts (-ERESTARTSYS, as
 * fcntl_setlk's and flock's interruptible waits); a retry after the
 * withdrawal is that restart: the request is queued again. Like the
 * sleeping syscall in Linux, the wait holds a reference on the file, so its
 * last close cannot come before the request is answered or withdrawn.
 */
function waitForLock(reason: string, file: OpenFileDescription, request: (onDone: () => void) => number | PendingLock): SyscallReturn {
  let pending: PendingLock | null = null;
  const granted = new WakeEvent(reason, () => pending?.result !== undefined);
  const issue = (): number | PendingLock => request(() => granted.fire());
  const first = issue();
  if (typeof first === 'number') return first;
  pending = first;
  file.incRef();
  let held = true;
  const put = () => {
    if (!held) return;
    held = false;
    file.decRef();
  };
  const block: Block = {
    reason,
    on: [granted],
    restart: 'sys',
    retry: () => {
      if (pending === null) {
        // Restarted after a signal withdrew it (the runtime retries at once, so the file is still open).
        const again = issue();
        if (typeof again === 'number') return again;
        pending = again;
        file.incRef();
        held = true;
      }
      if (pending.result === undefined) return block;
      put();
      return pending.result;
    },
    cancel: () => {
      pending?.cancel();
      pending = null;
      put();
    },
  };
  return block;
}

/** `struct flock` as the caller passed it (the bytes too, for copying back with only some fields changed). */
interface FlockArg {
  readonly bytes: Uint8Array;
  readonly type: number;
  readonly whence: number;
  readonly start: bigint;
  readonly len: bigint;
  readonly pid: number;
}

function readFlock(task: Task, addr: number): FlockArg | number {
  const bytes = new Uint8Array(FLOCK_STRUCT.size);
  if (task.mem.copyIn(addr, bytes, 0, bytes.length) < 0) return -Errno.EFAULT;
  const v = new DataView(bytes.buffer);
  return {
    bytes,
    type: v.getInt16(FLOCK_STRUCT.l_type, true),
    whence: v.getInt16(FLOCK_STRUCT.l_whence, true),
    start: v.getBigInt64(FLOCK_STRUCT.l_start, true),
    len: v.getBigInt64(FLOCK_STRUCT.l_len, true),
    pid: v.getInt32(FLOCK_STRUCT.l_pid, true),
  };
}

/**
 * fs/locks.c flock64_to_posix_lock: l_whence/l_start/l_len to [start, end]
 * (EINVAL for a bad whence or a range before 0, EOVERFLOW past OFFSET_MAX;
 * l_len 0 reaches OFFSET_MAX, a negative l_len ends just before l_start),
 * then the type (EINVAL unless F_RDLCK, F_WRLCK or F_UNLCK).
 */
function toRequestRange(file: OpenFileDescription, l: FlockArg): { type: RecordLockType; start: bigint; end: bigint } | number {
  let base: bigint;
  switch (l.whence) {
    case SEEK.SEEK_SET:
      base = 0n;
      break;
    case SEEK.SEEK_CUR:
      base = BigInt(file.pos);
      break;
    case SEEK.SEEK_END:
      base = BigInt(file.inode.size());
      break;
    default:
      return -Errno.EINVAL;
  }
  if (l.start > OFFSET_MAX - base) return -Errno.EOVERFLOW;
  let start = base + l.start;
  if (start < 0n) return -Errno.EINVAL;
  let end: bigint;
  if (l.len > 0n) {
    if (l.len - 1n > OFFSET_MAX - start) return -Errno.EOVERFLOW;
    end = start + l.len - 1n;
  } else if (l.len < 0n) {
    if (start + l.len < 0n) return -Errno.EINVAL;
    end = start - 1n;
    start += l.len;
  } else {
    end = OFFSET_MAX;
  }
  if (l.type !== LOCK_TYPE.F_RDLCK && l.type !== LOCK_TYPE.F_WRLCK && l.type !== LOCK_TYPE.F_UNLCK) return -Errno.EINVAL;
  return { type: l.type, start, end };
}

/**
 * fcntl(2)'s record-lock commands on `file` (fd `fd`): F_GETLK, F_SETLK,
 * F_SETLKW and the F_OFD_* forms, as fs/locks.c fcntl_getlk and fcntl_setlk.
 * `arg` points at a `struct flock`.
 */
export function fcntlRecordLock(task: Task, file: OpenFileDescription, fd: number, cmd: number, arg: number): SyscallReturn {
  const l = readFlock(task, arg);
  if (typeof l === 'number') return l;
  const locks = kernelLocks(task);
  const ofd = cmd === F_LOCK.F_OFD_GETLK || cmd === F_LOCK.F_OFD_SETLK || cmd === F_LOCK.F_OFD_SETLKW;
  if (cmd === F_LOCK.F_GETLK || cmd === F_LOCK.F_OFD_GETLK) {
    // fcntl_getlk: F_GETLK asks about a read or write lock; F_OFD_GETLK may ask about F_UNLCK too.
    if (cmd !== F_LOCK.F_OFD_GETLK && l.type !== LOCK_TYPE.F_RDLCK && l.type !== LOCK_TYPE.F_WRLCK) return -Errno.EINVAL;
    const range = toRequestRange(file, l);
    if (typeof range === 'number') return range;
    if (ofd && l.pid !== 0) return -Errno.EINVAL;
    const owner = ofd ? descriptionOwner(task, file, locks) : posixOwner(task, locks);
    const found = locks.records.test(file.inode, { owner, ...range });
    const v = new DataView(l.bytes.buffer);
    if (found === undefined) {
      v.setInt16(FLOCK_STRUCT.l_type, LOCK_TYPE.F_UNLCK, true);
    } else {
      // posix_lock_to_flock: SEEK_SET, l_len 0 for a lock to the end, pid -1 for OFD locks.
      v.setInt16(FLOCK_STRUCT.l_type, found.type, true);
      v.setInt16(FLOCK_STRUCT.l_whence, SEEK.SEEK_SET, true);
      v.setBigInt64(FLOCK_STRUCT.l_start, found.start, true);
      v.setBigInt64(FLOCK_STRUCT.l_len, found.end === OFFSET_MAX ? 0n : found.end - found.start + 1n, true);
      v.setInt32(FLOCK_STRUCT.l_pid, reportedPid(found.owner), true);
    }
    return task.mem.copyOut(arg, l.bytes, 0, l.bytes.length) < 0 ? -Errno.EFAULT : 0;
  }
  const range = toRequestRange(file, l);
  if (typeof range === 'number') return range;
  // check_fmode_for_setlk: a read lock needs the file open for reading, a write lock for writing.
  if (range.type === LOCK_TYPE.F_RDLCK && !file.readable) return -Errno.EBADF;
  if (range.type === LOCK_TYPE.F_WRLCK && !file.writable) return -Errno.EBADF;
  if (ofd && l.pid !== 0) return -Errno.EINVAL;
  const owner = ofd ? descriptionOwner(task, file, locks) : posixOwner(task, locks);
  const request = { owner, ...range };
  if (cmd === F_LOCK.F_SETLK || cmd === F_LOCK.F_OFD_SETLK) return locks.records.set(file.inode, request);
  return waitForLock(`fcntl ${ofd ? 'F_OFD_SETLKW' : 'F_SETLKW'} fd ${fd}`, file, (onDone) => locks.records.setWait(file.inode, request, onDone));
}

/** Whether `cmd` is one of fcntl's record-lock commands. */
export function isRecordLockCommand(cmd: number): boolean {
  return (
    cmd === F_LOCK.F_GETLK ||
    cmd === F_LOCK.F_SETLK ||
    cmd === F_LOCK.F_SETLKW ||
    cmd === F_LOCK.F_OFD_GETLK ||
    cmd === F_LOCK.F_OFD_SETLK ||
    cmd === F_LOCK.F_OFD_SETLKW
  );
}

/**
 * flock(2), as fs/locks.c: LOCK_MAND requests are ignored (0); the operation
 * without LOCK_NB must be LOCK_SH, LOCK_EX or LOCK_UN (EINVAL, before the
 * descriptor is looked at); EBADF for a descriptor not open (O_PATH ones
 * too); LOCK_NB turns waiting into EWOULDBLOCK.
 */
export function sysFlock(task: Task, fd: number, cmd: number): SyscallReturn {
  const c = cmd >>> 0;
  if ((c & LOCK_MAND) !== 0) return 0;
  let type: RecordLockType;
  switch (c & ~LOCK.LOCK_NB) {
    case LOCK.LOCK_SH:
      type = LOCK_TYPE.F_RDLCK;
      break;
    case LOCK.LOCK_EX:
      type = LOCK_TYPE.F_WRLCK;
      break;
    case LOCK.LOCK_UN:
      type = LOCK_TYPE.F_UNLCK;
      break;
    default:
      return -Errno.EINVAL;
  }
  const n = int(fd);
  const file = task.files.get(n);
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  if (type !== LOCK_TYPE.F_UNLCK && !file.readable && !file.writable) return -Errno.EBADF;
  const locks = kernelLocks(task);
  hookRelease(file, locks);
  if ((c & LOCK.LOCK_NB) !== 0) {
    const r = locks.flocks.lock(file.inode, file, type);
    // LOCK_NB never waits: the table answers at once.
    return typeof r === 'number' ? r : -Errno.EAGAIN;
  }
  return waitForLock(`flock fd ${n}`, file, (onDone) => locks.flocks.lock(file.inode, file, type, onDone));
}
