import { Errno } from '@tskern/abi';
import type { BlockDevice, BlockDevices } from '@tskern/block-api';
import type { BlockDriver, BlockLayer, BlockOpenMode, CharDevice, DevFs } from '@tskern/devices';
import type { SysFs } from '@tskern/sysfs';
import type { FileOperations, IoctlContext, OpenFileDescription } from '@tskern/vfs';
import { emptyInfo64, LO_FLAGS, LOOP, LOOP_CTRL_MINOR, LOOP_MAJOR, MISC_MAJOR } from './loop-abi';
import { LoopDevice } from './loop-device';
import { configure, loopIoctl, type LoopIoctlHost } from './loop-ioctl';
import { addDiskAttributes, addLoopAttributes, removeDiskAttributes, removeLoopAttributes } from './loop-sysfs';

/** Options of the loop driver. */
export interface LoopDriverOptions {
  /** The block layer the loop disks join (their numbers, claims and openers). */
  readonly layer: BlockLayer;
  /** /dev: where /dev/loop-control and the /dev/loopN nodes go. */
  readonly dev: DevFs;
  /** /sys: /sys/block/loopN and /sys/devices/virtual/block/loopN; none without it. */
  readonly sys?: SysFs;
  /** max_loop: how many devices exist at start (CONFIG_BLK_DEV_LOOP_MIN_COUNT, 8). */
  readonly count?: number;
}

/** The largest loop index (MINORMASK: minors have 20 bits). */
const MAX_INDEX = (1 << 20) - 1;

/**
 * The loop driver (drivers/block/loop.c): block major 7, devices loop0..
 * loop7 at start, /dev/loop-control (misc 10:237) to add, remove and find
 * free ones. Each device is a `LoopDevice` in the block layer's table and
 * a block special file in /dev.
 */
export class LoopDriver implements BlockDriver, LoopIoctlHost {
  readonly name = 'loop';
  private readonly loops = new Map<number, LoopDevice>();
  private lastDiskSequence = 0;
  private readonly layer: BlockLayer;
  private readonly dev: DevFs;
  private readonly sys: SysFs | undefined;

  constructor(options: LoopDriverOptions) {
    this.layer = options.layer;
    this.dev = options.dev;
    this.sys = options.sys;
    this.layer.registerDriver(LOOP_MAJOR, this);
    this.dev.addCharDevice(this.controlDevice());
    for (let i = 0; i < (options.count ?? 8); i++) this.add(i);
  }

  get devices(): BlockDevices {
    return this.layer.devices;
  }

  /** The loop device with index `index`, if it exists. */
  device(index: number): LoopDevice | undefined {
    return this.loops.get(index);
  }

  loopByNumber(deviceNumber: number): LoopDevice | undefined {
    for (const lo of this.loops.values()) if (lo.deviceNumber === deviceNumber) return lo;
    return undefined;
  }

  /** loop_add: the device `index` (EEXIST when it exists), or the lowest free index for a negative one. */
  add(index: number): number {
    if (index > MAX_INDEX) return -Errno.EINVAL;
    let i = index;
    if (i < 0) for (i = 0; this.loops.has(i); i++);
    else if (this.loops.has(i)) return -Errno.EEXIST;
    const lo = new LoopDevice(i, this.devices, {
      bound: (d) => {
        if (this.sys !== undefined) addLoopAttributes(this.sys, d);
      },
      unbound: (d) => {
        if (this.sys !== undefined) removeLoopAttributes(this.sys, d);
      },
    }, () => ++this.lastDiskSequence);
    this.loops.set(i, lo);
    this.devices.add(lo);
    // devtmpfs makes block nodes 0600 (the host's /dev/loopN: brw------- root root).
    this.dev.addBlockDevice(lo.name, lo.deviceNumber, 0o600, this.layer);
    if (this.sys !== undefined) addDiskAttributes(this.sys, lo, this.layer);
    return i;
  }

  /** loop_control_remove: EINVAL for a negative index, ENODEV for none, EBUSY while bound or open. */
  remove(index: number): number {
    if (index < 0) return -Errno.EINVAL;
    const lo = this.loops.get(index);
    if (lo === undefined) return -Errno.ENODEV;
    if (lo.state !== 'unbound' || this.devices.openers(lo) > 0) return -Errno.EBUSY;
    lo.state = 'deleting';
    this.loops.delete(index);
    this.devices.remove(lo);
    this.dev.removeNode(lo.name);
    if (this.sys !== undefined) removeDiskAttributes(this.sys, lo);
    return 0;
  }

  /**
   * LOOP_CONFIGURE from inside the kernel, as util-linux's `mount -o loop`
   * issues it: device `index` bound to `file` with `flags` (AUTOCLEAR,
   * READ_ONLY, ...) after loop_configure's checks. 0 or -errno (ENXIO for
   * no such device).
   */
  attach(index: number, file: OpenFileDescription, flags: number): number {
    const lo = this.loops.get(index);
    if (lo === undefined) return -Errno.ENXIO;
    const info = emptyInfo64();
    info.flags = flags;
    return configure(this, lo, { writable: (flags & LO_FLAGS.READ_ONLY) === 0, exclusive: false }, file, 0, info);
  }

  /** loop_control_get_free: the lowest unbound device, or a new one. */
  getFree(): number {
    const free = [...this.loops.values()].filter((lo) => lo.state === 'unbound').sort((a, b) => a.number - b.number)[0];
    return free !== undefined ? free.number : this.add(-1);
  }

  /** /dev/loop-control (loop_ctl_fops): LOOP_CTL_ADD, LOOP_CTL_REMOVE, LOOP_CTL_GET_FREE; ENOSYS otherwise. */
  controlDevice(): CharDevice {
    return {
      name: 'loop-control',
      major: MISC_MAJOR,
      driver: 'misc',
      minor: LOOP_CTRL_MINOR,
      mode: 0o660,
      open: (): FileOperations => ({
        // no read or write (EINVAL), lseek is noop_llseek
        llseek: (pos) => pos,
        ioctl: (request, arg) => {
          const parm = arg | 0; // the int loop_add and loop_control_remove take
          if (request === LOOP.LOOP_CTL_ADD) return this.add(parm);
          if (request === LOOP.LOOP_CTL_REMOVE) return this.remove(parm);
          if (request === LOOP.LOOP_CTL_GET_FREE) return this.getFree();
          return -Errno.ENOSYS;
        },
      }),
    };
  }

  // ---- BlockDriver ----

  ioctl(device: BlockDevice, request: number, arg: number, ctx: IoctlContext, mode: BlockOpenMode): number {
    const lo = this.loopByNumber(device.deviceNumber);
    return lo === undefined ? -Errno.ENXIO : loopIoctl(this, lo, request, arg, ctx, mode);
  }

  /** A loop disk may hold partitions once LO_FLAGS_PARTSCAN is set (GENHD_FL_NO_PART otherwise). */
  partitionScan(device: BlockDevice): boolean {
    const lo = this.loopByNumber(device.deviceNumber);
    return lo !== undefined && (lo.flags & LO_FLAGS.PARTSCAN) !== 0;
  }

  diskSequence(device: BlockDevice): number {
    return this.loopByNumber(device.deviceNumber)?.diskSequence ?? 0;
  }
}
