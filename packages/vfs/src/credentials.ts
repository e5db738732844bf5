/**
 * Who is asking: the ids the permission checks use (Linux's fsuid, fsgid and
 * supplementary groups of `struct cred`). uid 0 stands for a task with every
 * capability (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_CHOWN,
 * CAP_FSETID). Credentials are immutable and shared by reference: fork keeps
 * the same object, as Linux shares `struct cred` until a change.
 */
export class Credentials {
  readonly groups: readonly number[];

  constructor(
    readonly uid: number,
    readonly gid: number,
    groups: readonly number[] = [],
  ) {
    this.groups = [...groups];
  }

  /** The superuser (uid 0, gid 0). */
  static root(): Credentials {
    return new Credentials(0, 0);
  }

  /** Whether this task holds every capability (euid 0). */
  get isRoot(): boolean {
    return this.uid === 0;
  }

  /** in_group_p: `gid` is the fsgid or a supplementary group. */
  inGroup(gid: number): boolean {
    return gid === this.gid || this.groups.includes(gid);
  }
}

/** What a file system operation knows about its caller. */
export interface FsCaller {
  readonly cred: Credentials;
  /** The calling process, for file systems whose contents depend on it (/proc/self). */
  readonly pid?: number;
}
