import type { Vfs } from '@tskern/vfs';
import type { ProcFs } from './proc-fs';

/** Where procfs is mounted. */
export const PROC_DIR = '/proc';

/**
 * Mount `proc` on /proc (or `path`) of `vfs`, making the directories on the
 * way as root (mode 0555, as distributions ship /proc) when they are
 * missing. Returns 0 or -errno.
 */
export function mountProc(vfs: Vfs, proc: ProcFs, path: string = PROC_DIR): number {
  return vfs.mountCreating(path, proc, 0o555);
}
