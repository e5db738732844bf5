import { Errno } from '@tskern/abi';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { FileSystem, FileSystemType } from '@tskern/vfs';
import { ExtFs, type ExtFlavour } from './ext-fs';
import { parseExtOptions, type ExtOptions } from './mount-options';

/**
 * The "ext3", "ext2" and "ext4" file system types, in that order (fs/ext4/super.c
 * registers all three when ext4 serves ext2 and ext3): each needs a block
 * device (FS_REQUIRES_DEV) and mounts an ExtFs of its flavour over it,
 * page-cache frames from `frames`.
 */
export function extFileSystemTypes(frames: FrameAllocator): FileSystemType[] {
  return (['ext3', 'ext2', 'ext4'] as const).map((flavour) => extFileSystemType(frames, flavour));
}

/** One flavour's type. */
export function extFileSystemType(frames: FrameAllocator, flavour: ExtFlavour): FileSystemType {
  const options = new WeakMap<FileSystem, ExtOptions>();
  return {
    name: flavour,
    requiresDevice: true,
    mount(request) {
      const parsed = parseExtOptions(request.parameters);
      if (parsed === null) return -Errno.EINVAL;
      if (request.device === undefined) return -Errno.ENOTBLK;
      const fs = ExtFs.mount(request.device, { frames, flavour, readOnly: request.readOnly, noRecovery: parsed.shown.split(',').includes('norecovery') });
      if (typeof fs !== 'number') options.set(fs, parsed);
      return fs;
    },
    // ext4_reconfigure: options checked again; going read-only writes everything back first.
    reconfigure(fs, request) {
      const parsed = parseExtOptions(request.parameters);
      if (parsed === null) return -Errno.EINVAL;
      if (!(fs instanceof ExtFs)) return -Errno.EINVAL;
      if (request.readOnly && !fs.readOnly) {
        const busy = request.prepareReadOnly?.() ?? 0;
        if (busy < 0) return busy;
        const err = fs.sync();
        if (err < 0) return err;
        fs.readOnly = true;
      } else if (!request.readOnly && fs.readOnly) {
        const err = fs.canWrite();
        if (err < 0) return err;
        fs.readOnly = false;
      }
      options.set(fs, parsed);
      return 0;
    },
    showOptions(fs) {
      const o = options.get(fs);
      return o?.shown ?? '';
    },
  };
}
