import type { Vfs } from '@tskern/vfs';
import type { SysFs } from './sys-fs';

/** Where sysfs is mounted. */
export const SYS_DIR = '/sys';

/**
 * Mount `sys` on /sys (or `path`) of `vfs`, making the directories on the
 * way as root (mode 0555, as distributions ship /sys) when they are missing.
 * Returns 0 or -errno.
 */
export function mountSys(vfs: Vfs, sys: SysFs, path: string = SYS_DIR): number {
  return vfs.mountCreating(path, sys, 0o555);
}
