import { Errno } from '@tskern/abi';
import type { Vfs } from '@tskern/vfs';
import type { HostFs } from './host-fs';

/**
 * Mount `host` on `path` of `vfs`, making the directories on the way as root
 * (mode 0755) when they are missing. Returns 0 or -errno.
 */
export function mountHost(vfs: Vfs, host: HostFs, path: string): number {
  const kernel = vfs.kernelTask();
  let prefix = '';
  for (const name of path.split('/').filter((c) => c !== '')) {
    prefix += `/${name}`;
    const err = vfs.mkdir(kernel, prefix, 0o755);
    if (err < 0 && err !== -Errno.EEXIST) return err;
  }
  return vfs.mount(path, host);
}
