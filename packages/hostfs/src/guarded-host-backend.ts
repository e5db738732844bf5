import { Errno } from '@tskern/abi';
import type { HostBackend, HostStat, HostStatfs } from './host-backend';

/** Largest errno value (MAX_ERRNO in include/linux/err.h): a result below -MAX_ERRNO is no errno. */
const MAX_ERRNO = 4095;

const isErrno = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v < 0 && v >= -MAX_ERRNO;
const isStatus = (v: unknown): boolean => v === 0 || isErrno(v);
const isCount = (max: number) => (v: unknown) => isErrno(v) || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max);
const isHandle = (v: unknown): boolean => isErrno(v) || (Number.isInteger(v) && (v as number) >= 0);
const isStat = (v: unknown): boolean => isErrno(v) || (typeof v === 'object' && v !== null && typeof (v as HostStat).id === 'string');
const isNames = (v: unknown): boolean => isErrno(v) || (Array.isArray(v) && v.every((n) => typeof n === 'string'));
const FIGURES = ['blockSize', 'blocks', 'freeBlocks', 'availableBlocks', 'files', 'freeFiles'] as const;
const isStatfs = (v: unknown): boolean =>
  isErrno(v) ||
  (typeof v === 'object' &&
    v !== null &&
    FIGURES.every((k) => Number.isSafeInteger((v as HostStatfs)[k]) && (v as HostStatfs)[k] >= 0) &&
    (v as HostStatfs).blockSize > 0);
const isText = (v: unknown): boolean => isErrno(v) || typeof v === 'string';

/**
 * The backend as hostfs calls it: a fence between the kernel and host code
 * it does not control (a HostBackend is the embedder's code).
 *
 * - **Faults stay inside.** A call that throws, or answers something that
 *   is neither a valid result nor `-errno` (a read longer than asked, a
 *   handle that is no number), answers `-EIO`: one failed call, as a disk
 *   error is, and hostfs keeps its state consistent as for any host error
 *   (dirty pages stay dirty, a failed open opens nothing).
 * - **No re-entry.** A backend that calls back into the kernel while one of
 *   its calls runs (a callback that makes a syscall) could change what the
 *   interrupted hostfs operation was working on: unmap the very page a fault
 *   is filling, truncate the file being read. So while a call runs, hostfs
 *   refuses every entry it can (`refuseReentry`: its backend calls answer
 *   EIO, its data operations EIO, a fault SIGBUS), records the ones it must
 *   let through (a mapping going away), and the interrupted call itself then
 *   answers `-EIO` (a handle it opened is closed), so a fault that was
 *   interrupted maps nothing.
 */
export class GuardedHostBackend implements HostBackend {
  private depth = 0;
  private interrupted = false;

  constructor(readonly inner: HostBackend) {}

  /** A backend call is running. */
  get busy(): boolean {
    return this.depth > 0;
  }

  /**
   * A kernel entry into hostfs: when a backend call is running, mark that
   * call interrupted and answer true (the entry must then be refused, or
   * only record what it cannot refuse).
   */
  refuseReentry(): boolean {
    if (this.depth === 0) return false;
    this.interrupted = true;
    return true;
  }

  private guard<T>(valid: (v: unknown) => boolean, fn: () => T): T | number {
    if (this.refuseReentry()) return -Errno.EIO;
    this.depth++;
    this.interrupted = false;
    let result: T | number;
    try {
      result = fn();
      if (!valid(result)) result = -Errno.EIO;
    } catch {
      result = -Errno.EIO;
    } finally {
      this.depth--;
    }
    if (this.interrupted) {
      this.interrupted = false;
      return -Errno.EIO;
    }
    return result;
  }

  lstat(path: string): HostStat | number {
    return this.guard(isStat, () => this.inner.lstat(path));
  }

  readdir(path: string): string[] | number {
    return this.guard(isNames, () => this.inner.readdir(path));
  }

  open(path: string, flags: number, mode: number): number {
    let opened = -1;
    const h = this.guard(isHandle, () => (opened = this.inner.open(path, flags, mode)));
    // Opened, but the call was interrupted (or answered nonsense): it is nobody's.
    if (h < 0 && typeof opened === 'number' && Number.isInteger(opened) && opened >= 0) this.close(opened);
    return h;
  }

  close(handle: number): number {
    return this.guard(isStatus, () => this.inner.close(handle));
  }

  fstat(handle: number): HostStat | number {
    return this.guard(isStat, () => this.inner.fstat(handle));
  }

  pread(handle: number, dst: Uint8Array, dstOffset: number, length: number, position: number): number {
    return this.guard(isCount(length), () => this.inner.pread(handle, dst, dstOffset, length, position));
  }

  pwrite(handle: number, src: Uint8Array, srcOffset: number, length: number, position: number): number {
    return this.guard(isCount(length), () => this.inner.pwrite(handle, src, srcOffset, length, position));
  }

  fsync(handle: number, datasync: boolean): number {
    return this.guard(isStatus, () => this.inner.fsync(handle, datasync));
  }

  ftruncate(handle: number, size: number): number {
    return this.guard(isStatus, () => this.inner.ftruncate(handle, size));
  }

  truncate(path: string, size: number): number {
    return this.guard(isStatus, () => this.inner.truncate(path, size));
  }

  mkdir(path: string, mode: number): number {
    return this.guard(isStatus, () => this.inner.mkdir(path, mode));
  }

  rmdir(path: string): number {
    return this.guard(isStatus, () => this.inner.rmdir(path));
  }

  unlink(path: string): number {
    return this.guard(isStatus, () => this.inner.unlink(path));
  }

  rename(from: string, to: string): number {
    return this.guard(isStatus, () => this.inner.rename(from, to));
  }

  symlink(target: string, path: string): number {
    return this.guard(isStatus, () => this.inner.symlink(target, path));
  }

  readlink(path: string): string | number {
    return this.guard(isText, () => this.inner.readlink(path));
  }

  chmod(path: string, mode: number): number {
    return this.guard(isStatus, () => this.inner.chmod(path, mode));
  }

  chown(path: string, uid: number, gid: number): number {
    return this.guard(isStatus, () => this.inner.chown(path, uid, gid));
  }

  /** ENOSYS when the inner backend sets no times (hostfs then keeps them in memory). */
  utimes(path: string, atimeMs: number, mtimeMs: number): number {
    const inner = this.inner;
    if (inner.utimes === undefined) return -Errno.ENOSYS;
    return this.guard(isStatus, () => inner.utimes!(path, atimeMs, mtimeMs));
  }

  /** ENOSYS when the inner backend reports no figures (hostfs then reports no limits). */
  statfs(): HostStatfs | number {
    const inner = this.inner;
    if (inner.statfs === undefined) return -Errno.ENOSYS;
    return this.guard(isStatfs, () => inner.statfs!());
  }
}
