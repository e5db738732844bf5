/**
 * @tskern/procfs — /proc: `self`, `/proc/[pid]/{status,maps,mounts}` and
 * `/proc/mounts`, over a ProcessDirectory the composition root implements
 * from its process table. fs/proc is the reference.
 */
export * from './process-directory';
export * from './proc-fs';
export * from './mount-proc';
export * from './status';
export * from './mounts';
export * from './meminfo';
export type { SystemFigures, MemoryFigures } from './system-figures';
export { formatStat, type StatFigures } from './stat';
export { SeqFile } from './seq-file';
export type { OomFigures } from './oom-entries';
export { mayReadProcess } from './ptrace-access';
export { formatSysvShm, type SysvShmFigures } from './sysvipc';
export { inRange, type SysctlEntry, type SysctlValue } from './sysctl-values';
