import { Errno } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { Clock, FileSystem, Inode, SetAttr } from '@tskern/vfs';

/**
 * The common part of every /proc inode (Linux's `struct proc_inode` as
 * proc_pid_make_inode sets it up): no data of its own (st_size 0, no blocks),
 * times fixed at creation, never evicted (the file system keeps what it
 * made). Owner and mode are the subclass's, usually computed on each access
 * the way pid_revalidate refreshes them.
 */
export abstract class ProcInode implements Inode {
  readonly rdev = 0;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
  private refs = 0;

  constructor(
    readonly fs: FileSystem,
    readonly ino: number,
    clock: Clock,
  ) {
    this.atime = this.mtime = this.ctime = clock();
  }

  abstract get mode(): number;
  abstract get uid(): number;
  abstract get gid(): number;
  abstract get nlink(): number;

  /** /proc files have no size: `stat` says 0 and readers read to EOF. */
  size(): number {
    return 0;
  }

  blocks(): number {
    return 0;
  }

  /** Open files and other in-memory references (nothing is freed at zero). */
  get refCount(): number {
    return this.refs;
  }

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    invariant(this.refs > 0, () => `decRef of /proc inode ${this.ino} with no references`);
    this.refs--;
  }

  /**
   * proc_setattr: a mode change is EPERM; ownership and size changes are
   * accepted and forgotten (the next lookup recomputes them, as
   * pid_revalidate does).
   */
  setattr(attr: SetAttr): number {
    if (attr.mode !== undefined) return -Errno.EPERM;
    return 0;
  }
}
