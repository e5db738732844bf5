import { Errno, S, type FileOffset } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { FileSystem, NewInode } from '../file-system';
import type { Inode, SetAttr } from '../inode';
import { S_IALLUGO } from '../mode';

/** A file system's clock: milliseconds since the epoch. */
export type Clock = () => number;

/**
 * The common part of an in-memory inode (fs/libfs.c territory): attributes,
 * the link count and the in-memory reference count. When both reach zero the
 * inode is evicted: `evict` frees its storage (a ramfs file gives its frames
 * back), exactly once.
 */
export abstract class SimpleInode implements Inode {
  mode: number;
  uid: number;
  gid: number;
  nlink = 0;
  readonly rdev: number = 0;
  atime: number;
  mtime: number;
  ctime: number;
  private refs = 0;
  private gone = false;

  constructor(
    readonly fs: FileSystem,
    readonly ino: number,
    attrs: NewInode,
    protected readonly clock: Clock,
  ) {
    this.mode = attrs.mode;
    this.uid = attrs.uid;
    this.gid = attrs.gid;
    this.atime = this.mtime = this.ctime = clock();
  }

  abstract size(): FileOffset;

  blocks(): number {
    return 0;
  }

  /** In-memory references (open files, mapping handles). */
  get refCount(): number {
    return this.refs;
  }

  /** Whether the inode was evicted (no links, no references). */
  get evicted(): boolean {
    return this.gone;
  }

  incRef(): void {
    invariant(!this.gone, () => `incRef of evicted inode ${this.ino}`);
    this.refs++;
  }

  decRef(): void {
    invariant(this.refs > 0, () => `decRef of inode ${this.ino} with no references`);
    this.refs--;
    this.maybeEvict();
  }

  /** inc_nlink. */
  addLink(): void {
    invariant(!this.gone, () => `link to evicted inode ${this.ino}`);
    this.nlink++;
  }

  /** drop_nlink (clear_nlink with `all`): the inode may be evicted. */
  dropLink(all = false): void {
    invariant(this.nlink > 0, () => `drop_nlink of inode ${this.ino} with no links`);
    this.nlink = all ? 0 : this.nlink - 1;
    this.ctime = this.clock();
    this.maybeEvict();
  }

  private maybeEvict(): void {
    if (this.nlink === 0 && this.refs === 0 && !this.gone) {
      this.gone = true;
      this.evict();
    }
  }

  /** Free the inode's storage (called once, when unlinked and unreferenced). */
  protected evict(): void {}

  /** Mark data modified (mtime and ctime). */
  touch(): void {
    this.mtime = this.ctime = this.clock();
  }

  /**
   * simple_setattr with shmem_setattr's time rules: owner, group and
   * permission bits here; a size change goes to `resize` (EINVAL for
   * anything but a regular file). The change time moves, and a size change
   * moves the modification time too; a size set to what it already is
   * changes no time (truncate(2) to the same size), unless `touch` asks for
   * both (ftruncate(2), open(O_TRUNC)). `atime`/`mtime` are setattr_copy's
   * ATTR_ATIME/ATTR_MTIME (utimensat).
   */
  setattr(attr: SetAttr): number {
    let changeTimes = true;
    let sizeChanged = false;
    if (attr.size !== undefined) {
      const old = this.size();
      const err = this.resize(attr.size);
      if (err < 0) return err;
      if (attr.size !== old) sizeChanged = true;
      else changeTimes = attr.mode !== undefined || attr.uid !== undefined || attr.gid !== undefined;
    }
    if (attr.mode !== undefined) this.mode = (this.mode & S.S_IFMT) | (attr.mode & S_IALLUGO);
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    const now = this.clock();
    if (attr.atime !== undefined) this.atime = attr.atime === 'now' ? now : attr.atime;
    if (attr.mtime !== undefined) this.mtime = attr.mtime === 'now' ? now : attr.mtime;
    if (attr.touch === true) this.mtime = this.ctime = now;
    if (changeTimes) {
      this.ctime = now;
      if (sizeChanged) this.mtime = now;
    }
    return 0;
  }

  /** Set the size (regular files). */
  protected resize(_size: FileOffset): number {
    return -Errno.EINVAL;
  }
}
