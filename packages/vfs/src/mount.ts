import type { Dentry } from './dentry';
import type { FileSystem } from './file-system';

/**
 * A mounted file system: Linux's `struct mount`. A mount attaches the root
 * dentry of `fs` over `mountpoint`, a directory dentry of `parent`. Mounts on
 * the same point stack; the walk goes to the topmost.
 */
export class Mount {
  /** Mounts on dentries of this mount, by mountpoint. */
  readonly children = new Map<Dentry, Mount>();

  constructor(
    readonly fs: FileSystem,
    readonly root: Dentry,
    readonly parent: Mount | null,
    readonly mountpoint: Dentry | null,
  ) {}
}
