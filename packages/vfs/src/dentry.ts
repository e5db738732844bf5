import { invariant } from '@tskern/assert';
import type { Inode } from './inode';

/**
 * A name in the tree: Linux's `struct dentry`. The VFS caches one dentry per
 * (directory, name) it has looked up, so an open file keeps the name it was
 * opened by: rename moves the dentry, unlink detaches it. That is what
 * `/proc/[pid]/maps` prints (d_path), with ` (deleted)` once the dentry is
 * unlinked, even when the inode has another link, as d_delete unhashes a
 * dentry that is still in use.
 *
 * Dentries are not counted: an unused one costs a map entry until its name is
 * removed (a file system tree never has more dentries than names).
 */
export class Dentry {
  private readonly children = new Map<string, Dentry>();
  private detached = false;

  constructor(
    /** The name in the parent directory ('' for a file system root). */
    public name: string,
    /** The parent directory's dentry; null for a file system root. */
    public parent: Dentry | null,
    readonly inode: Inode,
  ) {}

  /** The root dentry of a file system. */
  static root(inode: Inode): Dentry {
    return new Dentry('', null, inode);
  }

  /** d_unlinked: the name was removed (unlink, rmdir, replaced by rename). */
  get unlinked(): boolean {
    return this.detached;
  }

  /**
   * The cached child for `name` now naming `inode`: the cached one when it
   * names the same inode, else a new dentry (a stale one, whose file went
   * behind the VFS's back, is detached, as d_invalidate).
   */
  child(name: string, inode: Inode): Dentry {
    const cached = this.children.get(name);
    if (cached !== undefined) {
      if (cached.inode === inode) return cached;
      cached.detach();
    }
    const d = new Dentry(name, this, inode);
    this.children.set(name, d);
    return d;
  }

  /** The cached child `name`, if any. */
  cachedChild(name: string): Dentry | undefined {
    return this.children.get(name);
  }

  /** The name is gone (d_delete): drop it from the parent's cache, keep the last name for d_path. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    if (this.parent !== null && this.parent.children.get(this.name) === this) this.parent.children.delete(this.name);
  }

  /** d_move: the name moved to `newName` in `newParent` (replacing any cached dentry there). */
  moveTo(newParent: Dentry, newName: string): void {
    invariant(!this.detached && this.parent !== null, 'moving a detached or root dentry');
    if (this.parent.children.get(this.name) === this) this.parent.children.delete(this.name);
    newParent.children.get(newName)?.detach();
    this.parent = newParent;
    this.name = newName;
    newParent.children.set(newName, this);
  }

  /** Whether `this` is `other` or one of its ancestors (is_subdir, within one file system). */
  isAncestorOf(other: Dentry): boolean {
    for (let d: Dentry | null = other; d !== null; d = d.parent) if (d === this) return true;
    return false;
  }
}
