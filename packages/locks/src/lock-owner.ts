/**
 * Who holds a lock. Linux keys a POSIX record lock by `fl_owner`: the
 * caller's `files_struct` for F_SETLK (so every thread of a process is one
 * owner) and the `struct file` for F_OFD_SETLK (fs/locks.c); two locks of one
 * owner never conflict, and a process's POSIX lock conflicts with its own OFD
 * locks. Here an owner is an object compared by identity: the caller keeps
 * one per process (or fd table) and one per open file description.
 */
export interface LockOwner {
  /** The pid F_GETLK reports for a POSIX lock (the holder's tgid). */
  readonly pid: number;
  /** True for an open-file-description (OFD) owner: reported as pid -1, no deadlock detection. */
  readonly ofd: boolean;
}

/** A process's POSIX lock owner (F_SETLK, F_SETLKW, F_GETLK). */
export function processLockOwner(pid: number): LockOwner {
  return { pid, ofd: false };
}

/** An open file description's lock owner (F_OFD_SETLK and friends); `pid` is its opener, never reported. */
export function descriptionLockOwner(pid: number): LockOwner {
  return { pid, ofd: true };
}

/** The l_pid F_GETLK reports for a lock of `owner`: -1 for OFD locks (as fs/locks.c locks_translate_pid). */
export function reportedPid(owner: LockOwner): number {
  return owner.ofd ? -1 : owner.pid;
}
