import type { Vfs } from '@tskern/vfs';
import type { HostFs } from './host-fs';

/**
 * Mount `host` on `path` of `vfs`, making the directories on the way as root
 * (mode 0755) when they are missing. Returns 0 or -errno.
 */
export function mountHost(vfs: Vfs, host: HostFs, path: string): number {
  return vfs.mountCreating(path, host, 0o755);
}
