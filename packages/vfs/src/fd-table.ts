import { Errno, FD_CLOEXEC, O } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { OpenFileDescription } from './open-file-description';

/** RLIMIT_NOFILE's usual soft limit: the default fd limit. */
export const DEFAULT_FD_LIMIT = 1024;

interface Slot {
  file: OpenFileDescription | null; // null: reserved by allocFd, not yet installed
  cloexec: boolean;
}

/**
 * A process's file descriptors: Linux's `struct files_struct`. Each slot
 * holds one reference on its open file description and a close-on-exec flag.
 * New descriptors take the lowest free number (alloc_fd); at `limit`
 * (RLIMIT_NOFILE) allocation fails with EMFILE.
 */
export class FdTable {
  private slots: (Slot | undefined)[] = [];

  constructor(
    /** RLIMIT_NOFILE: descriptors are numbered below it. */
    public limit = DEFAULT_FD_LIMIT,
  ) {}

  /**
   * Reserve the lowest free descriptor >= `min` (get_unused_fd_flags, done
   * before the open so that a full table fails with EMFILE before the file is
   * created). Fill it with `installAt` or give it back with `freeReserved`.
   */
  allocFd(min = 0): number {
    for (let fd = min; fd < this.limit; fd++) {
      if (this.slots[fd] === undefined) {
        this.slots[fd] = { file: null, cloexec: false };
        return fd;
      }
    }
    return -Errno.EMFILE;
  }

  /** fd_install: put `file` in the reserved slot `fd`, taking over the caller's reference. */
  installAt(fd: number, file: OpenFileDescription, cloexec: boolean): void {
    const slot = this.slots[fd];
    invariant(slot !== undefined && slot.file === null, `fd ${fd} not reserved`);
    slot.file = file;
    slot.cloexec = cloexec;
  }

  /** put_unused_fd: give back a reserved slot that was never filled. */
  freeReserved(fd: number): void {
    invariant(this.slots[fd]?.file === null, `fd ${fd} not reserved`);
    this.slots[fd] = undefined;
  }

  /**
   * Install `file` at the lowest free descriptor. On success the table owns
   * the caller's reference; on EMFILE the caller still does.
   */
  install(file: OpenFileDescription, cloexec: boolean): number {
    const fd = this.allocFd();
    if (fd >= 0) this.installAt(fd, file, cloexec);
    return fd;
  }

  /** The open file description of `fd`, or null for EBADF (O_PATH descriptors included). */
  get(fd: number): OpenFileDescription | null {
    if (!Number.isInteger(fd) || fd < 0) return null;
    return this.slots[fd]?.file ?? null;
  }

  /** close(2): EBADF for a descriptor not open. */
  close(fd: number): number {
    const file = this.get(fd);
    if (file === null) return -Errno.EBADF;
    this.slots[fd] = undefined;
    this.flush(file);
    file.decRef();
    return 0;
  }

  private closeListeners: ((file: OpenFileDescription, files: FdTable) => void)[] | null = null;

  /**
   * Call `fn` whenever one of this table's descriptors is closed (close,
   * dup2/dup3 over it, close-on-exec, exit), before its reference is
   * dropped: Linux's filp_flush, where a process's POSIX record locks on the
   * file go (locks_remove_posix). A forked copy starts with no listeners.
   */
  addCloseListener(fn: (file: OpenFileDescription, files: FdTable) => void): void {
    (this.closeListeners ??= []).push(fn);
  }

  private flush(file: OpenFileDescription): void {
    if (this.closeListeners !== null) for (const fn of this.closeListeners) fn(file, this);
  }

  /** dup(2): the lowest free descriptor, sharing the description; close-on-exec clear. */
  dup(fd: number): number {
    return this.dupFrom(fd, 0, false);
  }

  /**
   * F_DUPFD / F_DUPFD_CLOEXEC: the lowest free descriptor >= `min`; EINVAL
   * when `min` is at or past the limit (f_dupfd).
   */
  dupFrom(fd: number, min: number, cloexec: boolean): number {
    const file = this.get(fd);
    if (file === null) return -Errno.EBADF;
    if (!Number.isInteger(min) || min < 0 || min >= this.limit) return -Errno.EINVAL;
    const newFd = this.allocFd(min);
    if (newFd < 0) return newFd;
    file.incRef();
    this.installAt(newFd, file, cloexec);
    return newFd;
  }

  /** dup2(2): `newFd` equal to a valid `oldFd` is returned unchanged. */
  dup2(oldFd: number, newFd: number): number {
    if (oldFd === newFd) return this.get(oldFd) === null ? -Errno.EBADF : newFd;
    return this.dup3(oldFd, newFd, 0);
  }

  /**
   * dup3(2) (ksys_dup3): flags other than O_CLOEXEC or equal descriptors are
   * EINVAL; a `newFd` outside the table is EBADF; whatever `newFd` held is
   * closed.
   */
  dup3(oldFd: number, newFd: number, flags: number): number {
    if ((flags & ~O.O_CLOEXEC) !== 0) return -Errno.EINVAL;
    if (oldFd === newFd) return -Errno.EINVAL;
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= this.limit) return -Errno.EBADF;
    const file = this.get(oldFd);
    if (file === null) return -Errno.EBADF;
    const old = this.slots[newFd];
    if (old !== undefined && old.file === null) return -Errno.EBUSY; // reserved by an open in progress
    file.incRef();
    this.slots[newFd] = { file, cloexec: (flags & O.O_CLOEXEC) !== 0 };
    if (old?.file) {
      this.flush(old.file);
      old.file.decRef();
    }
    return newFd;
  }

  /** F_GETFD: FD_CLOEXEC or 0; EBADF when not open. */
  getFdFlags(fd: number): number {
    if (this.get(fd) === null) return -Errno.EBADF;
    return this.slots[fd]!.cloexec ? FD_CLOEXEC : 0;
  }

  /** F_SETFD: only FD_CLOEXEC counts. */
  setFdFlags(fd: number, flags: number): number {
    if (this.get(fd) === null) return -Errno.EBADF;
    this.slots[fd]!.cloexec = (flags & FD_CLOEXEC) !== 0;
    return 0;
  }

  /** The child's table after fork (dup_fd): same descriptions, same flags, one more reference each. */
  fork(): FdTable {
    const child = new FdTable(this.limit);
    child.slots = this.slots.map((slot) => {
      if (slot === undefined || slot.file === null) return undefined;
      slot.file.incRef();
      return { file: slot.file, cloexec: slot.cloexec };
    });
    return child;
  }

  /** execve: close every close-on-exec descriptor (do_close_on_exec). */
  execCloseOnExec(): void {
    this.slots.forEach((slot, fd) => {
      if (slot?.file && slot.cloexec) this.close(fd);
    });
  }

  /** Exit: close everything (close_files). */
  closeAll(): void {
    this.slots.forEach((slot, fd) => {
      if (slot?.file) this.close(fd);
    });
    this.slots = [];
  }

  /** Open descriptors in order (for /proc/[pid]/fd). */
  *entries(): IterableIterator<[fd: number, file: OpenFileDescription, cloexec: boolean]> {
    for (let fd = 0; fd < this.slots.length; fd++) {
      const slot = this.slots[fd];
      if (slot?.file) yield [fd, slot.file, slot.cloexec];
    }
  }

  /** Number of open descriptors. */
  get size(): number {
    let n = 0;
    for (const slot of this.slots) if (slot?.file) n++;
    return n;
  }
}
