import type { Credentials } from './credentials';
import type { Path } from './path';

/**
 * A process's view of the tree: root, working directory and file creation
 * mask (Linux's `struct fs_struct`). fork copies it.
 *
 * A working directory set by chdir holds a reference on its inode (path_get
 * in set_fs_pwd), so a directory removed while it is someone's cwd stays a
 * live (empty, unlinked) inode until that process leaves it or exits.
 */
export class FsContext {
  private current: Path;
  /** Whether this context holds a reference on the cwd's inode. */
  private held = false;

  constructor(
    public root: Path,
    cwd: Path,
    /** File mode creation mask (only the rwx bits). */
    public umask = 0o022,
  ) {
    this.current = cwd;
  }

  get cwd(): Path {
    return this.current;
  }

  /** set_fs_pwd: take a reference on the new cwd, drop the old one. */
  set cwd(p: Path) {
    p.dentry.inode.incRef();
    p.mount.users++; // path_get pins the mount too: umount of a cwd's mount is EBUSY
    if (this.held) {
      this.current.dentry.inode.decRef();
      this.current.mount.users--;
    }
    this.current = p;
    this.held = true;
  }

  /** The child's copy (copy_fs_struct): it holds its own reference on the cwd. */
  fork(): FsContext {
    const child = new FsContext(this.root, this.current, this.umask);
    if (this.held) child.cwd = this.current;
    return child;
  }

  /** The process is gone (exit_fs): drop the cwd reference. */
  release(): void {
    if (this.held) {
      this.current.dentry.inode.decRef();
      this.current.mount.users--;
    }
    this.held = false;
  }
}

/** The caller of a path operation: its credentials and tree view. */
export interface FsTask {
  readonly fs: FsContext;
  readonly cred: Credentials;
  /** The calling process (passed on to file systems such as procfs). */
  readonly pid?: number;
}
