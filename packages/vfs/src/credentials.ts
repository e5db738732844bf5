import { CAP_FULL_SET, capBit } from '@tskern/abi';

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
 * The capability sets of `struct cred` (64-bit masks, bit n = capability n)
 * and its securebits.
 */
export interface CapabilitySets {
  readonly inheritable: bigint;
  readonly permitted: bigint;
  readonly effective: bigint;
  /** The bounding set (cap_bset). */
  readonly bounding: bigint;
  readonly ambient: bigint;
  readonly securebits: number;
}

/** What init_cred holds (kernel/cred.c): everything permitted and effective, the full bounding set. */
const ROOT_CAPS: CapabilitySets = {
  inheritable: 0n, permitted: CAP_FULL_SET, effective: CAP_FULL_SET, bounding: CAP_FULL_SET, ambient: 0n, securebits: 0,
};
/** A user that never was root: no capabilities, the full bounding set. */
const USER_CAPS: CapabilitySets = { ...ROOT_CAPS, permitted: 0n, effective: 0n };

/**
 * Who a task is (Linux's `struct cred`): real, effective, saved and
 * file-system user and group ids, the supplementary groups, and the
 * capability sets.
 *
 * Permission checks use the file-system ids (fsuid, fsgid), as Linux's
 * `current_fsuid()`, and the effective capabilities (`capable`). Uid 0 is
 * not special by itself: a task made with uid 0 starts with every
 * capability (as init_cred), and the setuid calls and execve change the sets
 * as security/commoncap.c does.
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
  /** The capability sets and securebits. */
  readonly caps: CapabilitySets;

  /**
   * All four uids `uid`, all four gids `gid` (a freshly logged-in user); the
   * capabilities are `caps`, by default every one for uid 0 and none otherwise.
   */
  constructor(
    readonly uid: number,
    readonly gid: number,
    groups: readonly number[] = [],
    caps?: CapabilitySets,
  ) {
    this.groups = [...groups];
    this.caps = caps ?? (uid === 0 ? ROOT_CAPS : USER_CAPS);
    this.euid = this.suid = this.fsuid = uid;
    this.egid = this.sgid = this.fsgid = gid;
  }

  /** Credentials with every id given, and the capabilities `caps` (default: as the constructor gives). */
  static of(ids: CredentialIds, caps?: CapabilitySets): Credentials {
    const c = new Credentials(ids.uid, ids.gid, ids.groups, caps);
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

  /**
   * A copy with some ids changed (prepare_creds + edits), the capabilities
   * kept as they are; this object stays as it is. The setuid calls adjust
   * the capabilities themselves (`fixSetuid`).
   */
  with(changes: Partial<CredentialIds>): Credentials {
    return Credentials.of({ ...this.ids(), ...changes }, this.caps);
  }

  /** A copy with some capability sets changed, the ids kept. */
  withCaps(changes: Partial<CapabilitySets>): Credentials {
    return Credentials.of(this.ids(), { ...this.caps, ...changes });
  }

  /** The ids as a plain object. */
  ids(): CredentialIds {
    const { uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups } = this;
    return { uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups };
  }

  /** Whether securebit `bit` (SECBIT) is set (issecure). */
  isSecure(bit: number): boolean {
    return (this.caps.securebits & (1 << bit)) !== 0;
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

/**
 * capable(): whether `cred` holds capability `cap` (a CAP number) in its
 * effective set (cap_capable, one user namespace).
 */
export function capable(cred: Credentials, cap: number): boolean {
  return (cred.caps.effective & capBit(cap)) !== 0n;
}
