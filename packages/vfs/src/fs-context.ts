import type { Credentials } from './credentials';
import type { Path } from './path';

/**
 * A process's view of the tree: root, working directory and file creation
 * mask (Linux's `struct fs_struct`). fork copies it.
 */
export class FsContext {
  constructor(
    public root: Path,
    public cwd: Path,
    /** File mode creation mask (only the rwx bits). */
    public umask = 0o022,
  ) {}

  /** The child's copy (copy_fs_struct). */
  fork(): FsContext {
    return new FsContext(this.root, this.cwd, this.umask);
  }
}

/** The caller of a path operation: its credentials and tree view. */
export interface FsTask {
  readonly fs: FsContext;
  readonly cred: Credentials;
  /** The calling process (passed on to file systems such as procfs). */
  readonly pid?: number;
}
