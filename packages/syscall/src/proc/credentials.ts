import { CAP, Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capable, fixSetfsuid, fixSetuid, type Credentials } from '@tskern/vfs';
import { commitCreds } from './commit-creds';

/** (uid_t)-1: "leave unchanged" for the set*id calls, and never a valid id. */
const NO_ID = 0xffffffff;
/** NGROUPS_MAX (include/uapi/linux/limits.h): setgroups' most groups, also kernel.ngroups_max. */
export const NGROUPS_MAX = 65536;

// Credentials are replaced, never changed in place (commitCreds): the task
// gets a new immutable object, so the next permission check sees it. The uid
// calls pass the new ids through cap_task_fix_setuid (fixSetuid,
// fixSetfsuid), which drops or restores capabilities as uid 0 comes and
// goes; the gid calls leave the capabilities alone (commoncap has no gid hook).

const setuidCap = (c: Credentials) => capable(c, CAP.CAP_SETUID);
const setgidCap = (c: Credentials) => capable(c, CAP.CAP_SETGID);

/** commit_creds after the uid fixup. */
function commitUids(task: Task, next: Credentials): void {
  commitCreds(task, fixSetuid(task.cred, next));
}

export function sysGetuid(task: Task): number {
  return task.cred.uid;
}
export function sysGeteuid(task: Task): number {
  return task.cred.euid;
}
export function sysGetgid(task: Task): number {
  return task.cred.gid;
}
export function sysGetegid(task: Task): number {
  return task.cred.egid;
}

/**
 * setuid(2) (__sys_setuid): with CAP_SETUID every uid becomes `uid`;
 * otherwise the effective (and fs) uid may become the real or saved uid.
 */
export function sysSetuid(task: Task, uid: number): number {
  if (uid === NO_ID) return -Errno.EINVAL;
  const c = task.cred;
  if (setuidCap(c)) commitUids(task, c.with({ uid, euid: uid, suid: uid, fsuid: uid }));
  else if (uid === c.uid || uid === c.suid) commitUids(task, c.with({ euid: uid, fsuid: uid }));
  else return -Errno.EPERM;
  return 0;
}

/** setgid(2): as setuid, with CAP_SETGID. */
export function sysSetgid(task: Task, gid: number): number {
  if (gid === NO_ID) return -Errno.EINVAL;
  const c = task.cred;
  if (setgidCap(c)) commitCreds(task, c.with({ gid, egid: gid, sgid: gid, fsgid: gid }));
  else if (gid === c.gid || gid === c.sgid) commitCreds(task, c.with({ egid: gid, fsgid: gid }));
  else return -Errno.EPERM;
  return 0;
}

/**
 * setreuid(2) (__sys_setreuid): the real uid may become the real or
 * effective one, the effective uid the real, effective or saved one
 * (anything with CAP_SETUID); the saved uid follows the new effective uid
 * when the real uid is set or the effective one set to other than the old
 * real uid; the fs uid follows the effective one.
 */
export function sysSetreuid(task: Task, ruid: number, euid: number): number {
  const c = task.cred;
  let uid = c.uid;
  let e = c.euid;
  if (ruid !== NO_ID) {
    if (ruid !== c.uid && ruid !== c.euid && !setuidCap(c)) return -Errno.EPERM;
    uid = ruid;
  }
  if (euid !== NO_ID) {
    if (euid !== c.uid && euid !== c.euid && euid !== c.suid && !setuidCap(c)) return -Errno.EPERM;
    e = euid;
  }
  const suid = ruid !== NO_ID || (euid !== NO_ID && euid !== c.uid) ? e : c.suid;
  commitUids(task, c.with({ uid, euid: e, suid, fsuid: e }));
  return 0;
}

/** setregid(2): as setreuid, for the gids, with CAP_SETGID. */
export function sysSetregid(task: Task, rgid: number, egid: number): number {
  const c = task.cred;
  let gid = c.gid;
  let e = c.egid;
  if (rgid !== NO_ID) {
    if (rgid !== c.gid && rgid !== c.egid && !setgidCap(c)) return -Errno.EPERM;
    gid = rgid;
  }
  if (egid !== NO_ID) {
    if (egid !== c.gid && egid !== c.egid && egid !== c.sgid && !setgidCap(c)) return -Errno.EPERM;
    e = egid;
  }
  const sgid = rgid !== NO_ID || (egid !== NO_ID && egid !== c.gid) ? e : c.sgid;
  commitCreds(task, c.with({ gid, egid: e, sgid, fsgid: e }));
  return 0;
}

/**
 * setresuid(2): without CAP_SETUID each id given must be one of the current
 * real, effective or saved uids; the fs uid follows the effective one.
 */
export function sysSetresuid(task: Task, ruid: number, euid: number, suid: number): number {
  const c = task.cred;
  const allowed = (id: number) => id === NO_ID || id === c.uid || id === c.euid || id === c.suid;
  if (!setuidCap(c) && !(allowed(ruid) && allowed(euid) && allowed(suid))) return -Errno.EPERM;
  const e = euid !== NO_ID ? euid : c.euid;
  commitUids(task, c.with({ uid: ruid !== NO_ID ? ruid : c.uid, euid: e, suid: suid !== NO_ID ? suid : c.suid, fsuid: e }));
  return 0;
}

/** setresgid(2): as setresuid, for the gids, with CAP_SETGID. */
export function sysSetresgid(task: Task, rgid: number, egid: number, sgid: number): number {
  const c = task.cred;
  const allowed = (id: number) => id === NO_ID || id === c.gid || id === c.egid || id === c.sgid;
  if (!setgidCap(c) && !(allowed(rgid) && allowed(egid) && allowed(sgid))) return -Errno.EPERM;
  const e = egid !== NO_ID ? egid : c.egid;
  commitCreds(task, c.with({ gid: rgid !== NO_ID ? rgid : c.gid, egid: e, sgid: sgid !== NO_ID ? sgid : c.sgid, fsgid: e }));
  return 0;
}

/** Store three ids as u32s (getresuid's put_user of each, EFAULT at the first that faults). */
function putIds(task: Task, addrs: readonly number[], ids: readonly number[]): number {
  const b = new Uint8Array(4);
  const v = new DataView(b.buffer);
  for (let i = 0; i < 3; i++) {
    v.setUint32(0, ids[i]!, true);
    if (task.mem.copyOut(addrs[i]!, b, 0, 4) < 0) return -Errno.EFAULT;
  }
  return 0;
}

/** getresuid(2). */
export function sysGetresuid(task: Task, ruidp: number, euidp: number, suidp: number): number {
  const c = task.cred;
  return putIds(task, [ruidp, euidp, suidp], [c.uid, c.euid, c.suid]);
}

/** getresgid(2). */
export function sysGetresgid(task: Task, rgidp: number, egidp: number, sgidp: number): number {
  const c = task.cred;
  return putIds(task, [rgidp, egidp, sgidp], [c.gid, c.egid, c.sgid]);
}

/**
 * setfsuid(2): always returns the old fs uid; the fs uid changes when the
 * new one is the real, effective, saved or current fs uid, or with
 * CAP_SETUID; leaving or regaining fs uid 0 drops or restores the
 * file-system capabilities. An invalid id changes nothing.
 */
export function sysSetfsuid(task: Task, uid: number): number {
  const c = task.cred;
  const old = c.fsuid;
  if (uid === NO_ID) return old;
  if (uid === c.uid || uid === c.euid || uid === c.suid || uid === c.fsuid || setuidCap(c)) {
    if (uid !== old) commitCreds(task, fixSetfsuid(c, c.with({ fsuid: uid })));
  }
  return old;
}

/** setfsgid(2): as setfsuid, for the gids, with CAP_SETGID. */
export function sysSetfsgid(task: Task, gid: number): number {
  const c = task.cred;
  const old = c.fsgid;
  if (gid === NO_ID) return old;
  if (gid === c.gid || gid === c.egid || gid === c.sgid || gid === c.fsgid || setgidCap(c)) {
    if (gid !== old) commitCreds(task, c.with({ fsgid: gid }));
  }
  return old;
}

/**
 * getgroups(2) (kernel/groups.c): a negative size is EINVAL; size 0 asks for
 * the count; a size smaller than the count is EINVAL; else the groups are
 * copied out and counted.
 */
export function sysGetgroups(task: Task, size: number, list: number): number {
  if (size < 0) return -Errno.EINVAL;
  const groups = task.cred.groups;
  if (size === 0) return groups.length;
  if (size < groups.length) return -Errno.EINVAL;
  const out = new Uint8Array(groups.length * 4);
  const v = new DataView(out.buffer);
  groups.forEach((g, i) => v.setUint32(i * 4, g, true));
  if (out.length > 0 && task.mem.copyOut(list, out, 0, out.length) < 0) return -Errno.EFAULT;
  return groups.length;
}

/**
 * setgroups(2): EPERM without CAP_SETGID, then EINVAL for more than
 * NGROUPS_MAX groups (a negative size too, as unsigned) or an invalid gid,
 * EFAULT for an unreadable list; the groups are kept sorted (groups_sort).
 */
export function sysSetgroups(task: Task, size: number, list: number): number {
  const c = task.cred;
  if (!setgidCap(c)) return -Errno.EPERM;
  if (size >>> 0 > NGROUPS_MAX) return -Errno.EINVAL;
  const bytes = new Uint8Array(size * 4);
  if (bytes.length > 0 && task.mem.copyIn(list, bytes, 0, bytes.length) < 0) return -Errno.EFAULT;
  const v = new DataView(bytes.buffer);
  const groups: number[] = [];
  for (let i = 0; i < size; i++) {
    const g = v.getUint32(i * 4, true);
    if (g === NO_ID) return -Errno.EINVAL;
    groups.push(g);
  }
  groups.sort((a, b) => a - b);
  commitCreds(task, c.with({ groups }));
  return 0;
}
