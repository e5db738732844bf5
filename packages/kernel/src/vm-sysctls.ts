import { CAP, Errno } from '@tskern/abi';
import type { MemoryTunables } from '@tskern/mman';
import { inRange, type SysctlEntry } from '@tskern/procfs';
import { capable } from '@tskern/vfs';

const INT_MAX = 2 ** 31 - 1;

/**
 * OVERCOMMIT_ALWAYS: tskern keeps no commit charge (no vm_enough_memory
 * check, MAP_NORESERVE or not), so any mapping that fits the address space
 * is granted and pages come when touched, which is Linux's mode 1.
 */
const OVERCOMMIT_ALWAYS = 1;

/**
 * The vm sysctls tskern enforces (kernel/sysctl.c vm_table, mm/mmap.c,
 * security/min_addr.c), each on the live MemoryTunables every address
 * space reads:
 * - vm.max_map_count (0644, proc_dointvec_minmax from 0): mmap, mprotect,
 *   mremap, munmap and brk answer ENOMEM past it.
 * - vm.mmap_min_addr (0644, mmap_min_addr_handler): a writer without
 *   CAP_SYS_RAWIO is EPERM, then proc_doulongvec_minmax; a fixed mapping
 *   below it is EPERM without CAP_SYS_RAWIO. tskern has no LSM, so the
 *   value enforced is the one written (update_mmap_min_addr).
 * - vm.overcommit_memory, read-only (0444; Linux's is 0644): 1, the policy
 *   tskern has. A writable file would promise modes 0 and 2, whose
 *   refusals tskern does not make; overcommit_ratio and overcommit_kbytes,
 *   which only mode 2 uses, are not served.
 */
export function vmSysctls(tunables: () => MemoryTunables): SysctlEntry[] {
  // The value as written: mmap_min_addr is an unsigned long, the tunable a
  // number (every address is below 2^53, so comparisons are the same).
  let written: bigint | undefined;
  return [
    {
      path: 'vm/max_map_count',
      perm: 0o644,
      value: {
        kind: 'int',
        get: () => tunables().maxMapCount,
        set: inRange(0, INT_MAX, (v) => ((tunables().maxMapCount = v), 0)),
      },
    },
    {
      path: 'vm/mmap_min_addr',
      perm: 0o644,
      value: {
        kind: 'ulong',
        get: () => {
          const now = tunables().mmapMinAddr;
          return written !== undefined && Number(written) === now ? written : BigInt(now);
        },
        set: (v, writer) => {
          if (!capable(writer, CAP.CAP_SYS_RAWIO)) return -Errno.EPERM;
          written = v;
          tunables().mmapMinAddr = Number(v);
          return 0;
        },
      },
    },
    { path: 'vm/overcommit_memory', perm: 0o444, value: { kind: 'int', get: () => OVERCOMMIT_ALWAYS } },
  ];
}
