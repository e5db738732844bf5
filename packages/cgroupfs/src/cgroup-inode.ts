import { invariant } from '@tskern/assert';
import type { Clock, FileSystem, Inode, SetAttr } from '@tskern/vfs';

/**
 * The common part of a cgroup2 inode (a kernfs node): owner, mode and times
 * that setattr may change; a size change (open with O_TRUNC) is accepted
 * and forgotten, as kernfs_iop_setattr does.
 */
export abstract class CgroupInode implements Inode {
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

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    invariant(this.refs > 0, () => `decRef of cgroup inode ${this.ino} with no references`);
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
