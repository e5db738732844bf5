import { Errno } from '@tskern/abi';
import type { HostBackend, HostStat, HostStatfs } from './host-backend';

/** Calls a FaultyHostBackend can make fail: pread, pwrite, fsync, open, ftruncate/truncate. */
export type FaultyHostOp = 'read' | 'write' | 'fsync' | 'open' | 'truncate';

/** How an injected failure shows: an `-errno` answer, or a thrown plain Error (a buggy backend). */
export type FaultyHostFailure = 'errno' | 'throw';

/**
 * A HostBackend that wraps another and fails chosen calls on request (a
 * failing disk for tests and the fuzzer): `failNext('write', 2)` makes the
 * next two pwrites answer -EIO without reaching the host;
 * `failNext('write', 2, EIO, 'throw')` makes them throw an Error instead
 * (hostfs's GuardedHostBackend turns that into EIO). It also counts the
 * calls of each kind that reached it, failed or not.
 */
export class FaultyHostBackend implements HostBackend {
  private readonly pending = new Map<FaultyHostOp, { count: number; errno: number; how: FaultyHostFailure }>();
  /** Calls made, by kind. */
  readonly calls: Record<FaultyHostOp, number> = { read: 0, write: 0, fsync: 0, open: 0, truncate: 0 };

  constructor(readonly inner: HostBackend) {}

  /** Fail the next `count` calls of kind `op` (Infinity: until reset) with `-errno`, or by throwing. */
  failNext(op: FaultyHostOp, count = 1, errno: number = Errno.EIO, how: FaultyHostFailure = 'errno'): void {
    this.pending.set(op, { count, errno, how });
  }

  /** Stop failing (every kind, or just `op`). */
  reset(op?: FaultyHostOp): void {
    if (op === undefined) this.pending.clear();
    else this.pending.delete(op);
  }

  /** The injected error for this call of `op`, or 0 to go through. */
  private fault(op: FaultyHostOp): number {
    this.calls[op]++;
    const p = this.pending.get(op);
    if (p === undefined || p.count <= 0) return 0;
    if (--p.count <= 0) this.pending.delete(op);
    if (p.how === 'throw') throw new Error(`injected host ${op} failure`);
    return -p.errno;
  }

  lstat(path: string): HostStat | number {
    return this.inner.lstat(path);
  }

  readdir(path: string): string[] | number {
    return this.inner.readdir(path);
  }

  open(path: string, flags: number, mode: number): number {
    return this.fault('open') || this.inner.open(path, flags, mode);
  }

  close(handle: number): number {
    return this.inner.close(handle);
  }

  fstat(handle: number): HostStat | number {
    return this.inner.fstat(handle);
  }

  pread(handle: number, dst: Uint8Array, dstOffset: number, length: number, position: number): number {
    return this.fault('read') || this.inner.pread(handle, dst, dstOffset, length, position);
  }

  pwrite(handle: number, src: Uint8Array, srcOffset: number, length: number, position: number): number {
    return this.fault('write') || this.inner.pwrite(handle, src, srcOffset, length, position);
  }

  fsync(handle: number, datasync: boolean): number {
    return this.fault('fsync') || this.inner.fsync(handle, datasync);
  }

  ftruncate(handle: number, size: number): number {
    return this.fault('truncate') || this.inner.ftruncate(handle, size);
  }

  truncate(path: string, size: number): number {
    return this.fault('truncate') || this.inner.truncate(path, size);
  }

  mkdir(path: string, mode: number): number {
    return this.inner.mkdir(path, mode);
  }

  rmdir(path: string): number {
    return this.inner.rmdir(path);
  }

  unlink(path: string): number {
    return this.inner.unlink(path);
  }

  rename(from: string, to: string): number {
    return this.inner.rename(from, to);
  }

  symlink(target: string, path: string): number {
    return this.inner.symlink(target, path);
  }

  readlink(path: string): string | number {
    return this.inner.readlink(path);
  }

  chmod(path: string, mode: number): number {
    return this.inner.chmod(path, mode);
  }

  chown(path: string, uid: number, gid: number): number {
    return this.inner.chown(path, uid, gid);
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): number {
    return this.inner.utimes === undefined ? -Errno.ENOSYS : this.inner.utimes(path, atimeMs, mtimeMs);
  }

  statfs(): HostStatfs | number {
    return this.inner.statfs === undefined ? -Errno.ENOSYS : this.inner.statfs();
  }
}
