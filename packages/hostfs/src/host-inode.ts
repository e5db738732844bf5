import { Errno } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { Inode, SetAttr } from '@tskern/vfs';
import type { HostStat } from './host-backend';
import type { HostFs } from './host-fs';

/** The directory side of a host inode: what `path()` needs from a parent. */
export interface HostParent {
  path(): string;
  /** The directory or one above it was removed: its path names nothing of it any more. */
  readonly stale: boolean;
}

/**
 * The common part of a hostfs inode: attributes as the host last reported
 * them (refreshed at each lookup, as a network file system revalidates), the
 * in-memory reference count, and where the file was last seen (parent
 * directory and name), from which its host path is computed, so renaming a
 * directory moves everything below it.
 */
export abstract class HostInode implements Inode {
  readonly ino: number;
  /** The host's key for this file (device and inode). */
  readonly hostId: string;
  mode: number;
  uid = 0;
  gid = 0;
  nlink: number;
  readonly rdev = 0;
  atime: number;
  mtime: number;
  ctime: number;
  /** Size and blocks as the host reported them. */
  protected statSize: number;
  protected statBlocks: number;
  /** No host name is left: the file lives on only while referenced. */
  unlinked = false;
  private refs = 0;

  constructor(
    readonly fs: HostFs,
    st: HostStat,
    /** The directory the file was last found in (null for the root). */
    public parent: HostParent | null,
    /** Its name there. */
    public name: string,
  ) {
    this.ino = st.ino;
    this.hostId = st.id;
    this.mode = st.mode;
    this.nlink = st.nlink;
    this.atime = st.atimeMs;
    this.mtime = st.mtimeMs;
    this.ctime = st.ctimeMs;
    this.statSize = st.size;
    this.statBlocks = st.blocks;
    this.refresh(st);
  }

  /**
   * No host path reaches this file any more: it or a directory above it was
   * removed (a dead dentry in Linux). Its old path must never be used: the
   * host may have put something else under that name since.
   */
  get stale(): boolean {
    return this.unlinked || (this.parent?.stale ?? false);
  }

  /** The path in the backend: '' for the root, '/a/b' below it (check `stale` first). */
  path(): string {
    return this.parent === null ? '' : `${this.parent.path()}/${this.name}`;
  }

  /** Take the host's attributes (owner as the file system presents it). */
  refresh(st: HostStat): void {
    this.mode = this.fs.modeOf(st);
    this.nlink = st.nlink;
    const owner = this.fs.ownerOf(st);
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.atime = st.atimeMs;
    this.mtime = st.mtimeMs;
    this.ctime = st.ctimeMs;
    this.statSize = st.size;
    this.statBlocks = st.blocks;
  }

  /** Re-read the attributes from the host (after a change); the host's error is ignored. */
  revalidate(): void {
    if (this.stale) return;
    const st = this.fs.backend.lstat(this.path());
    if (typeof st !== 'number' && st.id === this.hostId) this.refresh(st);
  }

  /** Found again as `name` in `parent` (a rename, or another hard link). */
  relink(parent: HostParent | null, name: string): void {
    this.parent = parent;
    this.name = name;
  }

  /** The last host name went away (unlink, rmdir, replaced by rename). */
  markUnlinked(): void {
    this.unlinked = true;
    this.nlink = 0;
  }

  size(): number {
    return this.statSize;
  }

  blocks(): number {
    return this.statBlocks;
  }

  get refCount(): number {
    return this.refs;
  }

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    invariant(this.refs > 0, () => `decRef of hostfs inode ${this.ino} with no references`);
    if (--this.refs === 0) this.lastReferenceGone();
  }

  /** The last open file and mapping handle went away (iput). */
  protected lastReferenceGone(): void {}

  /** Mark data modified (mtime and ctime). */
  touch(): void {
    this.mtime = this.ctime = Date.now();
  }

  /**
   * notify_change: a size change goes to `resize` (EINVAL except for regular
   * files), then the permission bits to the host, then the owner (see
   * HostFs.chown). An unlinked (or stale) file keeps its changes in memory.
   */
  setattr(attr: SetAttr): number {
    if (this.fs.backend.refuseReentry()) return -Errno.EIO;
    if (attr.size !== undefined) {
      // A number: the VFS refuses sizes past maxFileSize (below 2^53) with EFBIG first.
      const err = this.resize(attr.size as number);
      if (err < 0) return err;
    }
    if (attr.mode !== undefined) {
      const mode = attr.mode & 0o7777;
      if (!this.stale) {
        const err = this.fs.setMode(this.path(), this.hostId, mode);
        if (err < 0) return err;
      }
      this.mode = (this.mode & ~0o7777) | mode;
    }
    if (attr.uid !== undefined || attr.gid !== undefined) {
      const err = this.fs.chown(this, attr.uid ?? -1, attr.gid ?? -1);
      if (err < 0) return err;
    }
    const now = Date.now();
    if (attr.atime !== undefined || attr.mtime !== undefined) {
      // utimensat: on the host file (an omitted time keeps the host's), or in
      // memory when the backend sets no times or the file has no host path.
      const atime = attr.atime === undefined ? this.atime : attr.atime === 'now' ? now : attr.atime;
      const mtime = attr.mtime === undefined ? this.mtime : attr.mtime === 'now' ? now : attr.mtime;
      const err = this.stale ? -Errno.ENOSYS : (this.fs.backend.utimes?.(this.path(), atime, mtime) ?? -Errno.ENOSYS);
      if (err < 0 && err !== -Errno.ENOSYS) return err;
      this.revalidate();
      // The host's answer, unless dirty pages made the local times win in refresh.
      this.atime = atime;
      this.mtime = mtime;
      if (err === -Errno.ENOSYS) this.ctime = now;
      return 0;
    }
    this.revalidate();
    this.ctime = now;
    if (attr.touch === true) this.mtime = now;
    return 0;
  }

  /** Set the size (regular files). */
  protected resize(_size: number): number {
    return -Errno.EINVAL;
  }
}
