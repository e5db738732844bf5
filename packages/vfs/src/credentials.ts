/** The ids of `struct cred` (include/linux/cred.h): real, effective, saved set-, and file-system ids. */
export interface CredentialIds {
  readonly uid: number;
  readonly euid: number;
  readonly suid: number;
  readonly fsuid: number;
  readonly gid: number;
  readonly egid: number;
  readonly sgid: number;
  readonly fsgid: number;
  readonly groups: readonly number[];
}

/**
 * Who a task is (Linux's `struct cred`): real, effective, saved and
 * file-system user and group ids, and the supplementary groups.
 *
 * Permission checks use the file-system ids (fsuid, fsgid), as Linux's
 * `current_fsuid()`; the file capabilities (CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_CHOWN, CAP_FSETID) are held while the
 * fsuid is 0 (`isRoot`), as cap_task_fix_setuid drops and restores them with
 * the fsuid; CAP_SETUID and CAP_SETGID while the euid is 0 (`capable`).
 *
 * Credentials are immutable and shared by reference: fork keeps the same
 * object, and a change (setuid and friends, as commit_creds) replaces the
 * task's object with a new one, so nothing holds a stale copy.
 */
export class Credentials implements CredentialIds {
  readonly groups: readonly number[];
  readonly euid: number;
  readonly suid: number;
  readonly fsuid: number;
  readonly egid: number;
  readonly sgid: number;
  readonly fsgid: number;

  /** All four uids `uid`, all four gids `gid` (a freshly logged-in user). */
  constructor(
    readonly uid: number,
    readonly gid: number,
    groups: readonly number[] = [],
  ) {
    this.groups = [...groups];
    this.euid = this.suid = this.fsuid = uid;
    this.egid = this.sgid = this.fsgid = gid;
  }

  /** Credentials with every id given. */
  static of(ids: CredentialIds): Credentials {
    const c = new Credentials(ids.uid, ids.gid, ids.groups);
    const w = c as { -readonly [K in keyof CredentialIds]: CredentialIds[K] };
    w.euid = ids.euid;
    w.suid = ids.suid;
    w.fsuid = ids.fsuid;
    w.egid = ids.egid;
    w.sgid = ids.sgid;
    w.fsgid = ids.fsgid;
    return c;
  }

  /** The superuser (every id 0). */
  static root(): Credentials {
    return new Credentials(0, 0);
  }

  /** A copy with some ids changed (prepare_creds + edits); this object stays as it is. */
  with(changes: Partial<CredentialIds>): Credentials {
    return Credentials.of({ ...this.ids(), ...changes });
  }

  /** The ids as a plain object. */
  ids(): CredentialIds {
    const { uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups } = this;
    return { uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups };
  }

  /** Whether the file-system capabilities are held (fsuid 0). */
  get isRoot(): boolean {
    return this.fsuid === 0;
  }

  /** Whether CAP_SETUID/CAP_SETGID are held (euid 0). */
  get capable(): boolean {
    return this.euid === 0;
  }

  /** in_group_p: `gid` is the fsgid or a supplementary group. */
  inGroup(gid: number): boolean {
    return gid === this.fsgid || this.groups.includes(gid);
  }
}

/** What a file system operation knows about its caller. */
export interface FsCaller {
  readonly cred: Credentials;
  /** The calling process, for file systems whose contents depend on it (/proc/self). */
  readonly pid?: number;
}
