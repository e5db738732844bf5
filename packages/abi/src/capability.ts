/**
 * POSIX capabilities as include/uapi/linux/capability.h numbers them: bit
 * `n` of a 64-bit set is capability `n`. The names are the kernel's without
 * the `CAP_` prefix, lower-case, as capsh and /proc list them.
 */
export const CAP = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
} as const;

/** The highest capability number (/proc/sys/kernel/cap_last_cap). */
export const CAP_LAST_CAP = 40;

/** cap_valid: a capability number this kernel knows. */
export function capValid(cap: number): boolean {
  return Number.isInteger(cap) && cap >= 0 && cap <= CAP_LAST_CAP;
}

/** CAP_VALID_MASK, the full set (CAP_FULL_SET): every known capability. */
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

/** A set with only capability `cap` (BIT_ULL(cap)). */
export function capBit(cap: number): bigint {
  return 1n << BigInt(cap);
}

/**
 * CAP_FS_SET (include/linux/capability.h): the capabilities that follow the
 * fsuid (CAP_FS_MASK: chown, mknod, dac_override, dac_read_search, fowner,
 * fsetid, mac_override; plus linux_immutable).
 */
export const CAP_FS_SET = [CAP.CAP_CHOWN, CAP.CAP_MKNOD, CAP.CAP_DAC_OVERRIDE, CAP.CAP_DAC_READ_SEARCH, CAP.CAP_FOWNER,
  CAP.CAP_FSETID, CAP.CAP_MAC_OVERRIDE, CAP.CAP_LINUX_IMMUTABLE].reduce((set, cap) => set | capBit(cap), 0n);

/** capget/capset header versions (struct __user_cap_header_struct.version). */
export const LINUX_CAPABILITY_VERSION_1 = 0x19980330;
export const LINUX_CAPABILITY_VERSION_2 = 0x20071026;
export const LINUX_CAPABILITY_VERSION_3 = 0x20080522;

/** Securebits (include/uapi/linux/securebits.h): each bit, its lock is the next bit up. */
export const SECBIT = {
  SECURE_NOROOT: 0,
  SECURE_NO_SETUID_FIXUP: 2,
  SECURE_KEEP_CAPS: 4,
  SECURE_NO_CAP_AMBIENT_RAISE: 6,
  SECURE_EXEC_RESTRICT_FILE: 8,
  SECURE_EXEC_DENY_INTERACTIVE: 10,
} as const;

/** SECURE_ALL_BITS: every securebit (not the locks). */
export const SECURE_ALL_BITS = Object.values(SECBIT).reduce<number>((m, bit) => m | (1 << bit), 0);
/** SECURE_ALL_LOCKS: the lock of every securebit. */
export const SECURE_ALL_LOCKS = SECURE_ALL_BITS << 1;

const CAP_NAMES: string[] = [];
for (const [name, n] of Object.entries(CAP)) CAP_NAMES[n] = name.slice(4).toLowerCase();

/** The capsh name of capability `cap` (`cap_sys_resource`), or its number as text. */
export function capName(cap: number): string {
  const name = CAP_NAMES[cap];
  return name === undefined ? String(cap) : `cap_${name}`;
}

/**
 * A capability by name, as capsh and cap_from_name accept it: any case, with
 * or without the `cap_` prefix (`CAP_SYS_RESOURCE`, `cap_sys_resource`,
 * `sys_resource`), or a number up to CAP_LAST_CAP. -1 for anything else.
 */
export function capFromName(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return capValid(Number(t)) ? Number(t) : -1;
  const bare = t.startsWith('cap_') ? t.slice(4) : t;
  return CAP_NAMES.indexOf(bare);
}

/** The capabilities of a set, lowest first. */
export function capList(set: bigint): number[] {
  const out: number[] = [];
  for (let cap = 0; cap <= CAP_LAST_CAP; cap++) if ((set & capBit(cap)) !== 0n) out.push(cap);
  return out;
}
