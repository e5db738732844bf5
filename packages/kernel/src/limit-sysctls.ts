import { CAP, CAP_LAST_CAP, Errno } from '@tskern/abi';
import { inRange, type SysctlEntry } from '@tskern/procfs';
import { NGROUPS_MAX, type SystemConfig } from '@tskern/syscall';
import { capable } from '@tskern/vfs';

/** fs/file_table.c sysctl_nr_open_min: BITS_PER_LONG. */
const NR_OPEN_MIN = 64;
/** sysctl_nr_open_max on 64-bit: min(INT_MAX, SIZE_MAX / sizeof(void *)) rounded down to BITS_PER_LONG. */
const NR_OPEN_MAX = 2147483584;
/** TAINT_FLAGS_COUNT (include/linux/panic.h, 6.18): bits past it are ignored by a write. */
const TAINT_FLAGS_COUNT = 20n;

/**
 * Limits and facts that other parts of tskern enforce, as Linux's tables
 * show them:
 * - fs.nr_open (0644, proc_dointvec_minmax 64..2147483584): setrlimit
 *   refuses an RLIMIT_NOFILE hard limit above it (EPERM).
 * - kernel.ngroups_max and kernel.cap_last_cap (0444): setgroups' limit and
 *   the highest capability tskern knows.
 * - kernel.tainted (0644, proc_taint): nothing in tskern taints it, so it
 *   reads 0 until a writer with CAP_SYS_ADMIN (else EPERM) adds flags; a
 *   write only sets bits below TAINT_FLAGS_COUNT, never clears one.
 * - kernel.randomize_va_space, read-only 0 (Linux's is 0644): tskern's
 *   loader places stack, mmap base and heap without randomisation, and a
 *   writable file would promise ASLR it does not have.
 */
export function limitSysctls(config: () => SystemConfig): SysctlEntry[] {
  let tainted = 0n;
  return [
    {
      path: 'fs/nr_open',
      perm: 0o644,
      value: { kind: 'int', get: () => config().nrOpen, set: inRange(NR_OPEN_MIN, NR_OPEN_MAX, (v) => ((config().nrOpen = v), 0)) },
    },
    { path: 'kernel/ngroups_max', perm: 0o444, value: { kind: 'int', get: () => NGROUPS_MAX } },
    { path: 'kernel/cap_last_cap', perm: 0o444, value: { kind: 'int', get: () => CAP_LAST_CAP } },
    {
      path: 'kernel/tainted',
      perm: 0o644,
      value: {
        kind: 'ulong',
        get: () => tainted,
        set: (v, writer) => {
          if (!capable(writer, CAP.CAP_SYS_ADMIN)) return -Errno.EPERM;
          tainted |= v & ((1n << TAINT_FLAGS_COUNT) - 1n);
          return 0;
        },
      },
    },
    { path: 'kernel/randomize_va_space', perm: 0o444, value: { kind: 'int', get: () => 0 } },
  ];
}
