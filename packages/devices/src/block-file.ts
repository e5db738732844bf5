import { Errno, SEEK, type FileOffset } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import type { FileOperations } from '@tskern/vfs';
import type { BlockLayer, BlockOpenMode } from './block-driver';
import { blockIoctl } from './block-ioctl';

/**
 * def_blk_fops for one open of a block special file. Reads and writes go
 * straight to the device (no buffer cache: the device is the one copy that
 * mkfs writing /dev/loop0 and a file system mounted from it both see), by
 * blkdev_read_iter/blkdev_write_iter's rules: nothing past the end (a read
 * there is 0, a write ENOSPC, both cut short at it), writes to a read-only
 * device EPERM.
 */
export function blockFileOperations(layer: BlockLayer, device: BlockDevice, mode: BlockOpenMode, holder: object): FileOperations {
  const devices = layer.devices;
  let released = false;
  return {
    read(pos, dst, dstOffset, length) {
      const size = device.size();
      if (pos >= size) return 0;
      return device.read(pos, dst, dstOffset, Math.min(length, size - pos));
    },
    write(pos, src, srcOffset, length) {
      if (devices.readOnly(device)) return -Errno.EPERM;
      if (length === 0) return 0;
      const size = device.size();
      if (pos >= size) return -Errno.ENOSPC;
      return device.write(pos, src, srcOffset, Math.min(length, size - pos));
    },
    // blkdev_llseek -> fixed_size_llseek: SET, CUR and END within the device's size, nothing else.
    llseek(current: FileOffset, offset: FileOffset, whence: number): FileOffset {
      const size = device.size();
      let to: number;
      const off = Number(offset);
      if (whence === SEEK.SEEK_SET) to = off;
      else if (whence === SEEK.SEEK_CUR) to = Number(current) + off;
      else if (whence === SEEK.SEEK_END) to = size + off;
      else return -Errno.EINVAL;
      if (to < 0 || to > size) return -Errno.EINVAL;
      return to;
    },
    // blkdev_fsync: write back (nothing is cached here) and flush the device's cache.
    fsync: () => device.flush(),
    ioctl: (request, arg, ctx) => blockIoctl(layer, device, mode, holder, request, arg, ctx),
    // blkdev_release: the O_EXCL claim goes, then the opener.
    release() {
      if (released) return;
      released = true;
      if (mode.exclusive) devices.release(device, holder);
      devices.close(device);
    },
  };
}
