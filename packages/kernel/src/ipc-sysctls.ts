import { inRange, type SysctlEntry } from '@tskern/procfs';
import type { SysvShmNamespace } from '@tskern/shmfs';

/** IPCMNI: the most System V ids of one kind without ipcmni_extend, kernel.shmmni's ceiling. */
const IPCMNI = 32768;

/**
 * The System V shared memory limits of the IPC namespace
 * (ipc/ipc_sysctl.c), all 0644 and live: shmget's EINVAL above shmmax,
 * ENOSPC past shmall pages or shmmni segments, and IPC_INFO/SHM_INFO
 * report the same numbers. shmmax and shmall are unsigned longs
 * (proc_doulongvec_minmax, any value); shmmni an int 0..IPCMNI
 * (proc_dointvec_minmax, EINVAL outside).
 */
export function ipcSysctls(ipc: () => SysvShmNamespace): SysctlEntry[] {
  return [
    {
      path: 'kernel/shmmax',
      perm: 0o644,
      value: { kind: 'ulong', get: () => ipc().shmCtlMax, set: (v) => ((ipc().shmCtlMax = v), 0) },
    },
    {
      path: 'kernel/shmall',
      perm: 0o644,
      value: { kind: 'ulong', get: () => ipc().shmCtlAll, set: (v) => ((ipc().shmCtlAll = v), 0) },
    },
    {
      path: 'kernel/shmmni',
      perm: 0o644,
      value: { kind: 'int', get: () => ipc().shmCtlMni, set: inRange(0, IPCMNI, (v) => ((ipc().shmCtlMni = v), 0)) },
    },
  ];
}
