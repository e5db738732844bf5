import { invariant } from '@tskern/assert';
import type { Status } from '@tskern/abi';
import type { MappingIdentity } from '@tskern/mm-api';
import { displayPath, type Inode, type Path } from '@tskern/vfs';

/**
 * What a mapping of a file holds: Linux's `vma->vm_file`, made process
 * agnostic and shared by every mapping of the inode (gVisor's
 * memmap.MappingIdentity). Counted: the first reference takes a reference on
 * the inode, which keeps the file (and its page cache) alive after close(2)
 * and unlink(2); the last one drops it, and an unlinked, closed file then goes.
 *
 * `mappedName()` is d_path of the name the file was mapped by: its current
 * absolute path (renames followed), with ` (deleted)` once that name was
 * removed or the inode has no links left.
 */
export class FileMappingHandle implements MappingIdentity {
  private refs = 0;

  constructor(
    readonly inode: Inode,
    /** The name the handle reports (null for an anonymous object, see `fixedName`). */
    private path: Path | null,
    /** A name that never changes, already complete (shared anonymous memory: `/dev/zero (deleted)`). */
    private readonly fixedName: string | null = null,
  ) {
    invariant(path !== null || fixedName !== null, 'a mapping handle needs a name');
  }

  /**
   * A handle for an unlinked object with no path in the tree, named `name` as
   * a deleted file (Linux's shmem_kernel_file_setup files: `/dev/zero (deleted)`).
   */
  static anonymous(inode: Inode, name: string): FileMappingHandle {
    return new FileMappingHandle(inode, null, `${name} (deleted)`);
  }

  /** Number of references (VMAs, plus any caller-held ones). */
  get refCount(): number {
    return this.refs;
  }

  /**
   * The first reference also pins the mount the file was mapped through
   * (vm_file holds its f_path.mnt): umount(2) is EBUSY while it is mapped.
   * One handle serves every mapping of the inode, so a file mapped through
   * two mounts pins the first one's only.
   */
  incRef(): void {
    if (this.refs++ === 0) {
      this.inode.incRef();
      if (this.path !== null) this.path.mount.users++;
    }
  }

  decRef(): void {
    invariant(this.refs > 0, 'decRef of an unreferenced mapping handle');
    if (--this.refs === 0) {
      this.inode.decRef();
      if (this.path !== null) this.path.mount.users--;
    }
  }

  /** Report `path` from now on (only while nothing holds the handle; see FileMappingRegistry). */
  rename(path: Path): void {
    invariant(this.refs === 0 && this.fixedName === null, 'renaming a handle in use');
    this.path = path;
  }

  mappedName(): string {
    if (this.fixedName !== null) return this.fixedName;
    const p = this.path!;
    const name = displayPath(p);
    return this.inode.nlink === 0 && !p.dentry.unlinked ? `${name} (deleted)` : name;
  }

  deviceId(): number {
    return this.inode.fs.deviceId;
  }

  inodeId(): number {
    return this.inode.ino;
  }

  /** msync: the inode's write-back (0 where the page cache is the only copy, as ramfs). */
  sync(offset: number, length: number): Status {
    return this.inode.writeback?.(offset, length) ?? 0;
  }
}
