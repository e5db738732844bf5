import { createHostFs, type HostBackend, type HostFsOptions } from '@tskern/hostfs';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { FileSystem } from '@tskern/vfs';

/** Mount options of a host folder (hostfs's, without the backend and frames the kernel supplies). */
export type HostFolderOptions = Omit<HostFsOptions, 'backend' | 'frames'>;

/**
 * A `KernelMount` file system maker for a host folder: a hostfs over a
 * `HostBackend` (`path` names the folder in errors), caching pages in the
 * kernel's frames. Over Node's `fs`: `nodeHostFolder` of `@tskern/kernel/node`.
 * Throws when the folder cannot serve as a root (missing, not a directory):
 * that is a configuration error at kernel assembly, not an errno for a program.
 */
export function hostFolder(
  path: string,
  backend: HostBackend,
  options: HostFolderOptions = {},
): (frames: FrameAllocator) => FileSystem {
  return (frames) => {
    const fs = createHostFs({ ...options, backend, frames });
    if (typeof fs === 'number') throw new Error(`tskern: cannot use host folder ${path} (errno ${-fs})`);
    return fs;
  };
}
