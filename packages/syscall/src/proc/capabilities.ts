import {
  CAP, CAP_FULL_SET, Errno, LINUX_CAPABILITY_VERSION_1, LINUX_CAPABILITY_VERSION_2, LINUX_CAPABILITY_VERSION_3,
  SECBIT, SECURE_ALL_BITS, SECURE_ALL_LOCKS, capBit, capValid,
} from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capable } from '@tskern/vfs';

// kernel/capability.c (capget, capset) and the capability prctls of
// security/commoncap.c (cap_task_prctl).

// struct __user_cap_header_struct: u32 version at 0, int pid at 4.
/** struct __user_cap_data_struct: u32 effective, permitted, inheritable. */
const DATA_SIZE = 12;
const LOW_32 = 0xffffffffn;

/**
 * cap_validate_magic: the header's version gives how many data structs the
 * call copies (1 for version 1, 2 for versions 2 and 3). An unknown version
 * is EINVAL, after _LINUX_CAPABILITY_VERSION_3 is written back into the
 * header (EFAULT if that faults), so a caller can learn the version to use.
 */
function dataCount(task: Task, header: number): number {
  const b = new Uint8Array(4);
  if (task.mem.copyIn(header, b, 0, 4) < 0) return -Errno.EFAULT;
  const view = new DataView(b.buffer);
  switch (view.getUint32(0, true)) {
    case LINUX_CAPABILITY_VERSION_1:
      return 1;
    case LINUX_CAPABILITY_VERSION_2: // deprecated (warn_deprecated_v2), same layout as 3
    case LINUX_CAPABILITY_VERSION_3:
      return 2;
    default:
      view.setUint32(0, LINUX_CAPABILITY_VERSION_3, true);
      return task.mem.copyOut(header, b, 0, 4) < 0 ? -Errno.EFAULT : -Errno.EINVAL;
  }
}

function headerPid(task: Task, header: number): number | null {
  const b = new Uint8Array(4);
  if (task.mem.copyIn(header + 4, b, 0, 4) < 0) return null;
  return new DataView(b.buffer).getInt32(0, true);
}

/**
 * capget(2): a bad version is EINVAL (the version written back), except
 * that with a NULL data pointer that probe answers 0; then the pid (EFAULT,
 * EINVAL when negative, ESRCH when no such task; 0 is the caller), and the
 * target's effective, permitted and inheritable sets go out as 32-bit
 * halves, one struct per half the version has (EFAULT).
 */
export function sysCapget(task: Task, header: number, data: number): number {
  const count = dataCount(task, header);
  if (count < 0) return data === 0 && count === -Errno.EINVAL ? 0 : count;
  if (data === 0) return 0;
  const pid = headerPid(task, header);
  if (pid === null) return -Errno.EFAULT;
  if (pid < 0) return -Errno.EINVAL;
  const target = pid === 0 || pid === task.tid ? task : task.kernel.tasks.get(pid);
  if (target === undefined || !target.alive) return -Errno.ESRCH;
  const { effective, permitted, inheritable } = target.cred.caps;
  const out = new Uint8Array(count * DATA_SIZE);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const shift = BigInt(32 * i);
    view.setUint32(i * DATA_SIZE, Number((effective >> shift) & LOW_32), true);
    view.setUint32(i * DATA_SIZE + 4, Number((permitted >> shift) & LOW_32), true);
    view.setUint32(i * DATA_SIZE + 8, Number((inheritable >> shift) & LOW_32), true);
  }
  return task.mem.copyOut(data, out, 0, out.length) < 0 ? -Errno.EFAULT : 0;
}

/**
 * capset(2): the version (as capget, without the NULL-data probe), the pid
 * (only the caller: 0 or its own pid, else EPERM), the data (EFAULT; bits
 * past CAP_LAST_CAP are dropped), then cap_capset's rules, all EPERM: the new
 * inheritable set within the old inheritable and permitted sets (unless
 * CAP_SETPCAP) and within the old inheritable and bounding sets; the new
 * permitted set within the old one; the new effective set within the new
 * permitted one. Ambient capabilities no longer both permitted and
 * inheritable are lowered.
 */
export function sysCapset(task: Task, header: number, data: number): number {
  const count = dataCount(task, header);
  if (count < 0) return count;
  const pid = headerPid(task, header);
  if (pid === null) return -Errno.EFAULT;
  if (pid !== 0 && pid !== task.tid) return -Errno.EPERM;
  const bytes = new Uint8Array(count * DATA_SIZE);
  if (task.mem.copyIn(data, bytes, 0, bytes.length) < 0) return -Errno.EFAULT;
  const view = new DataView(bytes.buffer);
  let effective = 0n;
  let permitted = 0n;
  let inheritable = 0n;
  for (let i = 0; i < count; i++) {
    const shift = BigInt(32 * i);
    effective |= BigInt(view.getUint32(i * DATA_SIZE, true)) << shift;
    permitted |= BigInt(view.getUint32(i * DATA_SIZE + 4, true)) << shift;
    inheritable |= BigInt(view.getUint32(i * DATA_SIZE + 8, true)) << shift;
  }
  effective &= CAP_FULL_SET;
  permitted &= CAP_FULL_SET;
  inheritable &= CAP_FULL_SET;
  const old = task.cred;
  const c = old.caps;
  const subset = (a: bigint, b: bigint) => (a & ~b) === 0n;
  if (!capable(old, CAP.CAP_SETPCAP) && !subset(inheritable, c.inheritable | c.permitted)) return -Errno.EPERM;
  if (!subset(inheritable, c.inheritable | c.bounding)) return -Errno.EPERM;
  if (!subset(permitted, c.permitted)) return -Errno.EPERM;
  if (!subset(effective, permitted)) return -Errno.EPERM;
  task.cred = old.withCaps({ effective, permitted, inheritable, ambient: c.ambient & permitted & inheritable });
  return 0;
}

/** The capability prctl options (include/uapi/linux/prctl.h). */
export const PR_CAP = {
  PR_GET_KEEPCAPS: 7,
  PR_SET_KEEPCAPS: 8,
  PR_CAPBSET_READ: 23,
  PR_CAPBSET_DROP: 24,
  PR_GET_SECUREBITS: 27,
  PR_SET_SECUREBITS: 28,
  PR_CAP_AMBIENT: 47,
} as const;

/** PR_CAP_AMBIENT's sub-commands. */
export const PR_CAP_AMBIENT = {
  IS_SET: 1,
  RAISE: 2,
  LOWER: 3,
  CLEAR_ALL: 4,
} as const;

function capAmbient(task: Task, op: number, cap: number, arg4: number, arg5: number): number {
  const c = task.cred.caps;
  if (op === PR_CAP_AMBIENT.CLEAR_ALL) {
    if (cap !== 0 || arg4 !== 0 || arg5 !== 0) return -Errno.EINVAL;
    task.cred = task.cred.withCaps({ ambient: 0n });
    return 0;
  }
  if (!capValid(cap) || arg4 !== 0 || arg5 !== 0) return -Errno.EINVAL;
  const bit = capBit(cap);
  if (op === PR_CAP_AMBIENT.IS_SET) return (c.ambient & bit) !== 0n ? 1 : 0;
  if (op === PR_CAP_AMBIENT.RAISE) {
    // Only a capability both permitted and inheritable, and not under SECURE_NO_CAP_AMBIENT_RAISE.
    if ((c.permitted & bit) === 0n || (c.inheritable & bit) === 0n) return -Errno.EPERM;
    if (task.cred.isSecure(SECBIT.SECURE_NO_CAP_AMBIENT_RAISE)) return -Errno.EPERM;
    task.cred = task.cred.withCaps({ ambient: c.ambient | bit });
    return 0;
  }
  if (op === PR_CAP_AMBIENT.LOWER) {
    task.cred = task.cred.withCaps({ ambient: c.ambient & ~bit });
    return 0;
  }
  return -Errno.EINVAL;
}

/**
 * cap_task_prctl: the capability options of prctl(2), or null for another
 * option. PR_CAPBSET_READ answers 1 or 0 (EINVAL for an unknown
 * capability); PR_CAPBSET_DROP needs CAP_SETPCAP (EPERM) before the
 * capability is checked (EINVAL); PR_SET_KEEPCAPS takes 0 or 1 (EINVAL),
 * EPERM when SECURE_KEEP_CAPS_LOCKED; PR_SET_SECUREBITS may not change a
 * locked bit, unlock a lock, set an unknown bit, nor be called without
 * CAP_SETPCAP (all EPERM); PR_CAP_AMBIENT raises (needs the capability
 * permitted and inheritable), lowers, tests and clears ambient capabilities.
 */
export function capabilityPrctl(task: Task, option: number, arg2: number, arg3: number, arg4: number, arg5: number): number | null {
  const cred = task.cred;
  switch (option) {
    case PR_CAP.PR_CAPBSET_READ:
      if (!capValid(arg2)) return -Errno.EINVAL;
      return (cred.caps.bounding & capBit(arg2)) !== 0n ? 1 : 0;
    case PR_CAP.PR_CAPBSET_DROP:
      if (!capable(cred, CAP.CAP_SETPCAP)) return -Errno.EPERM;
      if (!capValid(arg2)) return -Errno.EINVAL;
      task.cred = cred.withCaps({ bounding: cred.caps.bounding & ~capBit(arg2) });
      return 0;
    case PR_CAP.PR_GET_KEEPCAPS:
      return cred.isSecure(SECBIT.SECURE_KEEP_CAPS) ? 1 : 0;
    case PR_CAP.PR_SET_KEEPCAPS: {
      if (arg2 > 1) return -Errno.EINVAL; // arg2 is unsigned long: a "negative" value is huge
      if (cred.isSecure(SECBIT.SECURE_KEEP_CAPS + 1)) return -Errno.EPERM;
      const keep = 1 << SECBIT.SECURE_KEEP_CAPS;
      task.cred = cred.withCaps({ securebits: arg2 === 1 ? cred.caps.securebits | keep : cred.caps.securebits & ~keep });
      return 0;
    }
    case PR_CAP.PR_GET_SECUREBITS:
      return cred.caps.securebits;
    case PR_CAP.PR_SET_SECUREBITS: {
      const old = cred.caps.securebits;
      const unknown = arg2 > 0xffffffff || (arg2 & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS)) !== 0;
      const changesLocked = (((old & SECURE_ALL_LOCKS) >> 1) & (old ^ arg2)) !== 0;
      const unlocks = (old & SECURE_ALL_LOCKS & ~arg2) !== 0;
      if (unknown || changesLocked || unlocks || !capable(cred, CAP.CAP_SETPCAP)) return -Errno.EPERM;
      task.cred = cred.withCaps({ securebits: arg2 });
      return 0;
    }
    case PR_CAP.PR_CAP_AMBIENT:
      return capAmbient(task, arg2, arg3, arg4, arg5);
    default:
      return null;
  }
}
