import { Errno, S } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import { MNT, type FileSystem, type FsTask, type Vfs } from '@tskern/vfs';

/** The file system a device is mounted as, and the token that holds its claim. */
interface DeviceSuper {
  readonly fs: FileSystem;
  readonly holder: object;
}

/** Devices with a live file system (the superblocks sget finds by s_bdev). */
const supers = new WeakMap<BlockDevice, DeviceSuper>();

/** A device ready for a new file system: give it to the type, then call `mounted` or `failed`. */
export interface OpenedDevice {
  readonly device: BlockDevice;
  /** A file system of this type already lives on the device (sget's match): mount it again. */
  readonly existing?: FileSystem;
  /** The type made `fs` from the device: the claim now lasts until the last mount of `fs` is gone. */
  mounted(fs: FileSystem): void;
  /** The type refused (or the graft failed): the claim and the open go back. */
  failed(): void;
}

/**
 * get_tree_bdev's part before fill_super: lookup_bdev of `source` (the
 * lookup's errno; EACCES through a nodev mount, may_open_dev; ENOTBLK for
 * anything but a block special file), the device by number (ENXIO), the
 * existing superblock of the same type if the device is mounted already
 * (EBUSY when another type or an opener holds it), the exclusive claim and
 * the open (EACCES when a read-write mount meets a read-only device).
 */
export function openMountDevice(vfs: Vfs, task: FsTask, source: string | null, typeName: string, readOnly: boolean): OpenedDevice | number {
  if (source === null || source === '') return -Errno.EINVAL; // "No source specified"
  const p = vfs.lookup(task, source, true);
  if (typeof p === 'number') return p;
  if ((p.mount.flags & MNT.NODEV) !== 0) return -Errno.EACCES;
  const inode = p.dentry.inode;
  if ((inode.mode & S.S_IFMT) !== S.S_IFBLK) return -Errno.ENOTBLK;
  const devices = vfs.blockDevices;
  const device = devices.get(inode.rdev);
  if (device === undefined) return -Errno.ENXIO;
  const live = supers.get(device);
  if (live !== undefined && devices.holder(device) === live.holder) {
    if (live.fs.type !== typeName) return -Errno.EBUSY;
    return { device, existing: live.fs, mounted: () => {}, failed: () => {} };
  }
  const holder = {};
  if (!devices.claim(device, holder)) return -Errno.EBUSY;
  const err = devices.open(device, !readOnly);
  if (err < 0 || (!readOnly && devices.readOnly(device))) {
    if (err >= 0) devices.close(device);
    devices.release(device, holder);
    return err < 0 ? err : -Errno.EACCES;
  }
  return {
    device,
    mounted: (fs) => {
      supers.set(device, { fs, holder });
      // kill_block_super: after the file system's sync and shutdown, the device goes back.
      vfs.whenUnmounted(fs, () => {
        if (supers.get(device)?.fs === fs) supers.delete(device);
        devices.close(device);
        devices.release(device, holder);
      });
    },
    failed: () => {
      devices.close(device);
      devices.release(device, holder);
    },
  };
}
