/**
 * @tskern/sysfs — /sys: kernel objects as directories of attribute files
 * (`kernel/mm/ksm`, `kernel/mm/transparent_hugepage`, `devices/system/cpu`),
 * built by the composition root from what the kernel really has. fs/sysfs
 * and fs/kernfs are the reference.
 */
export { SysFs, SYSFS_NR_CPUS, type SysFsOptions } from './sys-fs';
export { mountSys, SYS_DIR } from './mount-sys';
export type { SysAttribute } from './attribute';
export { KsmSettings } from './ksm';
export { formatCpuList } from './cpu-list';
export { kstrtouint, kstrtoint, kstrtoul, kstrtobool } from './kstrto';
