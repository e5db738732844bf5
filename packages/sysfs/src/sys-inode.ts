import { invariant } from '@tskern/assert';
import type { Clock, FileSystem, Inode, SetAttr } from '@tskern/vfs';

/**
 * The common part of every sysfs inode (a kernfs node, fs/kernfs/inode.c):
 * owned by root unless chown'd, times fixed at creation, never evicted (the
 * tree is built once). kernfs_iop_setattr keeps a new mode, owner or time;
 * a size change is accepted and forgotten (open(O_TRUNC) of an attribute).
 */
export abstract class SysInode implements Inode {
  readonly rdev = 0;
  uid = 0;
  gid = 0;
  atime: number;
  mtime: number;
  ctime: number;
  private perm: number;
  private refs = 0;

  constructor(
    readonly fs: FileSystem,
    readonly ino: number,
    private readonly type: number,
    perm: number,
    private readonly clock: Clock,
  ) {
    this.perm = perm;
    this.atime = this.mtime = this.ctime = clock();
  }

  get mode(): number {
    return this.type | this.perm;
  }

  abstract get nlink(): number;
  abstract size(): number;

  blocks(): number {
    return 0;
  }

  get refCount(): number {
    return this.refs;
  }

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    invariant(this.refs > 0, () => `decRef of sysfs inode ${this.ino} with no references`);
    this.refs--;
  }

  setattr(attr: SetAttr): number {
    const now = this.clock();
    if (attr.mode !== undefined) this.perm = attr.mode & 0o7777;
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    if (attr.atime !== undefined) this.atime = attr.atime === 'now' ? now : attr.atime;
    if (attr.mtime !== undefined) this.mtime = attr.mtime === 'now' ? now : attr.mtime;
    if (attr.mode !== undefined || attr.uid !== undefined || attr.gid !== undefined || attr.atime !== undefined || attr.mtime !== undefined) this.ctime = now;
    return 0;
  }
}
