import { invariant } from '@tskern/assert';
import type { FileSystem } from '../file-system';
import type { Inode, SetAttr } from '../inode';
import type { Clock } from './simple-inode';

/**
 * The common part of a kernfs node's inode (fs/kernfs/inode.c), which sysfs
 * and cgroup2 are both built on: owner and mode that start as the file
 * system says and that setattr may change, times fixed at creation until
 * setattr sets them, no blocks, and a reference count that never frees the
 * node (the tree owns it). kernfs_iop_setattr keeps a new mode, owner or
 * time; a size change (open with O_TRUNC of an attribute) is accepted and
 * forgotten.
 */
export abstract class KernfsInode implements Inode {
  readonly rdev = 0;
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
    public uid: number,
    public gid: number,
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
    invariant(this.refs > 0, () => `decRef of ${this.fs.type} inode ${this.ino} with no references`);
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
