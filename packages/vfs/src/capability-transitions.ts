import { CAP_FS_SET, SECBIT } from '@tskern/abi';
import type { Credentials } from './credentials';

function anyRoot(c: Credentials): boolean {
  return c.uid === 0 || c.euid === 0 || c.suid === 0;
}

/**
 * cap_task_fix_setuid for setuid, setreuid and setresuid (cap_emulate_setxuid
 * in security/commoncap.c): `next` is `old` with new ids; the result has
 * the capabilities Linux leaves it.
 * - Leaving uid 0 altogether (some of real/effective/saved uid was 0, none
 *   is now) clears the permitted and effective sets, unless SECURE_KEEP_CAPS
 *   (PR_SET_KEEPCAPS), and always the ambient set.
 * - The effective uid leaving 0 clears the effective set; coming back to 0
 *   makes it the permitted set again.
 * Nothing changes under SECURE_NO_SETUID_FIXUP.
 */
export function fixSetuid(old: Credentials, next: Credentials): Credentials {
  if (old.isSecure(SECBIT.SECURE_NO_SETUID_FIXUP)) return next;
  let { permitted, effective, ambient } = next.caps;
  if (anyRoot(old) && !anyRoot(next)) {
    if (!old.isSecure(SECBIT.SECURE_KEEP_CAPS)) permitted = effective = 0n;
    // Programs written before ambient capabilities expect setresuid to a non-root uid and execve to drop them all.
    ambient = 0n;
  }
  if (old.euid === 0 && next.euid !== 0) effective = 0n;
  if (old.euid !== 0 && next.euid === 0) effective = permitted;
  return next.withCaps({ permitted, effective, ambient });
}

/**
 * cap_task_fix_setuid for setfsuid (LSM_SETID_FS): the fsuid leaving 0
 * drops the file-system capabilities (CAP_FS_SET) from the effective set;
 * coming back to 0 raises those of them that are permitted.
 */
export function fixSetfsuid(old: Credentials, next: Credentials): Credentials {
  if (old.isSecure(SECBIT.SECURE_NO_SETUID_FIXUP)) return next;
  const { permitted, effective } = next.caps;
  if (old.fsuid === 0 && next.fsuid !== 0) return next.withCaps({ effective: effective & ~CAP_FS_SET });
  if (old.fsuid !== 0 && next.fsuid === 0) return next.withCaps({ effective: effective | (permitted & CAP_FS_SET) });
  return next;
}

/**
 * The credentials after execve of a file without file capabilities or
 * set-id bits (cap_bprm_creds_from_file with handle_privileged_root, in
 * security/commoncap.c); tskern files carry neither.
 * - With a real or effective uid of 0 (and no SECURE_NOROOT) the permitted
 *   set becomes the bounding set plus the inheritable set (root's "file"
 *   has every capability); it is effective when the effective uid is 0.
 * - Otherwise only the ambient set survives: it becomes the permitted and
 *   effective set.
 * The saved and fs ids follow the effective ids (bprm_fill_uid), and
 * SECURE_KEEP_CAPS is cleared.
 */
export function credentialsForExec(old: Credentials): Credentials {
  const c = old.caps;
  const rootPrivileged = !old.isSecure(SECBIT.SECURE_NOROOT);
  let permitted = 0n;
  let raiseEffective = false;
  if (rootPrivileged && (old.euid === 0 || old.uid === 0)) permitted = c.bounding | c.inheritable;
  if (rootPrivileged && old.euid === 0) raiseEffective = true;
  permitted |= c.ambient;
  const effective = raiseEffective ? permitted : c.ambient;
  const securebits = c.securebits & ~(1 << SECBIT.SECURE_KEEP_CAPS);
  return old
    .with({ suid: old.euid, fsuid: old.euid, sgid: old.egid, fsgid: old.egid })
    .withCaps({ permitted, effective, securebits });
}
