import type { MemoryTunables } from '@tskern/mman';
import type { SysctlEntry } from '@tskern/procfs';
import type { SysvShmNamespace } from '@tskern/shmfs';
import type { CoreDumpSettings, SystemConfig } from '@tskern/syscall';
import type { TaskTable } from '@tskern/tasks';
import { coreDumpSysctls } from './core-dump-sysctls';
import { ipcSysctls } from './ipc-sysctls';
import { limitSysctls } from './limit-sysctls';
import { taskSysctls } from './task-sysctls';
import { utsSysctls } from './uts-sysctls';
import { vmSysctls } from './vm-sysctls';

/**
 * Where each group of settings lives; asked at each access, so the kernel
 * may build them after procfs.
 */
export interface SysctlOwners {
  readonly coreDump: () => CoreDumpSettings;
  readonly memory: () => MemoryTunables;
  readonly system: () => SystemConfig;
  readonly ipc: () => SysvShmNamespace;
  readonly tasks: () => TaskTable;
}

/** Every /proc/sys file of the kernel, group by group. */
export function kernelSysctls(owners: SysctlOwners): SysctlEntry[] {
  return [
    ...coreDumpSysctls(owners.coreDump),
    ...utsSysctls(owners.system),
    ...limitSysctls(owners.system),
    ...taskSysctls(owners.tasks),
    ...ipcSysctls(owners.ipc),
    ...vmSysctls(owners.memory),
  ];
}
