import type { Dentry } from './dentry';
import type { FileSystem } from './file-system';

/**
 * Per-mount flags (include/linux/mount.h `MNT_*`): they belong to one mount
 * of a file system, not to the file system (a bind mount may differ).
 */
export const MNT = {
  NOSUID: 0x01,
  NODEV: 0x02,
  NOEXEC: 0x04,
  NOATIME: 0x08,
  NODIRATIME: 0x10,
  RELATIME: 0x20,
  READONLY: 0x40,
  NOSYMFOLLOW: 0x80,
} as const;

/** What a new mount is called and how it is flagged. */
export interface MountOptions {
  /** The source /proc/mounts shows ("tmpfs", "proc", a device); default the fs type. */
  readonly source?: string;
  /** `MNT` bits. */
  readonly flags?: number;
}

/**
 * A mounted file system: Linux's `struct mount`. A mount attaches `root` (a
 * dentry of `fs`: its root, or any directory for a bind mount) over
 * `mountpoint`, a dentry of `parent`. Mounts on the same point stack; the
 * walk goes to the topmost.
 */
export class Mount {
  /** Mounts on dentries of this mount, by mountpoint. */
  readonly children = new Map<Dentry, Mount>();
  /** `MNT` bits (mnt_flags). */
  flags: number;
  /** The source /proc/mounts shows (mnt_devname). */
  source: string;
  private userCount = 0;
  /** Open files on this mount that may write (mnt_get_writers): a remount read-only is EBUSY while any remain. */
  writers = 0;
  private inTree = true;
  /**
   * Called once when the mount is out of the tree and its last user is gone
   * (the final mntput -> cleanup_mnt -> deactivate_super): how the VFS
   * learns that a file system lost one of its mounts.
   */
  onGone: ((mount: Mount) => void) | null = null;

  constructor(
    readonly fs: FileSystem,
    readonly root: Dentry,
    readonly parent: Mount | null,
    readonly mountpoint: Dentry | null,
    /** mnt_id, as /proc/[pid]/mountinfo shows it (0 for a mount outside any tree). */
    readonly id = 0,
    options: MountOptions = {},
  ) {
    this.flags = options.flags ?? 0;
    this.source = options.source ?? fs.type;
  }

  /**
   * Open files, mappings and working directories on this mount (what
   * mnt_count counts beyond the tree's own reference): umount(2) is EBUSY
   * while any remain, and a detached mount lives until the last goes.
   */
  get users(): number {
    return this.userCount;
  }

  set users(n: number) {
    this.userCount = n;
    if (n === 0 && !this.inTree) this.gone();
  }

  /** Whether the mount is still in the tree (false once unmounted; open files keep using it). */
  get attached(): boolean {
    return this.inTree;
  }

  /** umount_tree's part for one mount: out of the tree; gone now when nothing uses it, else at the last user. */
  detach(): void {
    if (!this.inTree) return;
    this.inTree = false;
    if (this.userCount === 0) this.gone();
  }

  private gone(): void {
    const fn = this.onGone;
    this.onGone = null;
    fn?.(this);
  }

  /** MNT_NOEXEC: execve of a file through this mount is EACCES. */
  get noexec(): boolean {
    return (this.flags & MNT.NOEXEC) !== 0;
  }
}
