import { LO_FLAGS, type LoopDriver } from '@tskern/loop';
import { mountNewInstance } from '@tskern/syscall';
import { MNT, type OpenFileDescription, type Vfs } from '@tskern/vfs';

/** How a disk image is mounted. */
export interface DiskImageOptions {
  /** The file system type ("ext4", which mounts ext2 and ext3 images too, as fs/ext4 does for them). */
  readonly type: string;
  readonly readOnly: boolean;
}

/**
 * `mount -o loop IMAGE PATH`, as util-linux does it for a regular file:
 * attach `image` (an open file; the device takes its own reference) to a
 * free loop device with LO_FLAGS_AUTOCLEAR (and READ_ONLY for a read-only
 * mount), then mount /dev/loopN at `path` through the same do_new_mount
 * mount(2) uses, so the device is claimed by the file system and goes back
 * when the last mount of it is gone. Returns the loop index, or -errno with
 * the device detached again.
 */
export function mountDiskImage(vfs: Vfs, loop: LoopDriver, image: OpenFileDescription, path: string, options: DiskImageOptions): number {
  const index = loop.getFree();
  if (index < 0) return index;
  const attached = loop.attach(index, image, LO_FLAGS.AUTOCLEAR | (options.readOnly ? LO_FLAGS.READ_ONLY : 0));
  if (attached < 0) return attached;
  const task = vfs.kernelTask();
  const target = vfs.lookup(task, path, true);
  const err = typeof target === 'number' ? target : mountNewInstance(vfs, task, target, options.type, `/dev/loop${index}`, null, options.readOnly, MNT.RELATIME);
  if (err < 0) {
    // No opener holds the device: lo_release's autoclear detaches it.
    loop.device(index)?.release();
    return err;
  }
  return index;
}
