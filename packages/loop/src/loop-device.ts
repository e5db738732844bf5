import { Errno, S } from '@tskern/abi';
import type { BlockDevice, BlockDevices } from '@tskern/block-api';
import type { OpenFileDescription } from '@tskern/vfs';
import { IoStats } from './io-stats';
import { emptyInfo64, LO_FLAGS, LO_KEY_SIZE, LO_NAME_SIZE, LOOP_MAJOR, type LoopInfo64 } from './loop-abi';

/** lo_state: no backing file, bound to one, detaching at the last close, being removed. */
export type LoopState = 'unbound' | 'bound' | 'rundown' | 'deleting';

/** LLONG_MAX: lo_offset and lo_sizelimit above it are EOVERFLOW. */
const LLONG_MAX = (1n << 63n) - 1n;

/** new_encode_dev / huge_encode_dev: what st_rdev and lo_device hold for a major and minor. */
export function encodeDevice(major: number, minor: number): number {
  return (minor & 0xff) + major * 256 + (minor - (minor & 0xff)) * 4096;
}

/** What the driver learns of a device's changes (sysfs `loop/` appears and goes). */
export interface LoopDeviceEvents {
  bound(device: LoopDevice): void;
  unbound(device: LoopDevice): void;
}

/**
 * One loop device (drivers/block/loop.c's `struct loop_device`): a block
 * device whose sectors are a range of a backing file, the open file
 * description LOOP_SET_FD gave (a reference is held until it is detached).
 * Requests go through the backing file's own reads and writes; reads past
 * its end give zeros, as lo_rw_aio's completion zero-fills.
 */
export class LoopDevice implements BlockDevice {
  readonly name: string;
  readonly deviceNumber: number;
  state: LoopState = 'unbound';
  /** lo_flags (LO_FLAGS_*). */
  flags = 0;
  /** lo_offset and lo_sizelimit, in bytes. */
  offset = 0;
  sizeLimit = 0;
  /** lo_file_name: what LOOP_SET_STATUS named, NUL-padded. */
  fileName = new Uint8Array(LO_NAME_SIZE);
  readonly stats = new IoStats();
  private backingFile: OpenFileDescription | null = null;
  private blockBytes = 512;
  private capacity = 0;

  constructor(
    readonly number: number,
    private readonly devices: BlockDevices,
    private readonly events: LoopDeviceEvents,
    /** disk->diskseq: a fresh number each time the medium changes. */
    private readonly nextDiskSequence: () => number,
  ) {
    this.name = `loop${number}`;
    this.deviceNumber = encodeDevice(LOOP_MAJOR, number);
    this.diskSequence = nextDiskSequence();
  }

  diskSequence: number;

  get backing(): OpenFileDescription | null {
    return this.backingFile;
  }

  /** The queue's logical block size: 512 until LOOP_SET_BLOCK_SIZE or LOOP_CONFIGURE's block_size. */
  get logicalBlockSize(): number {
    return this.blockBytes;
  }

  /** loop_update_limits: the physical block size and io_min follow the logical one. */
  get physicalBlockSize(): number {
    return this.blockBytes;
  }

  size(): number {
    return this.state === 'bound' || this.state === 'rundown' ? this.capacity : 0;
  }

  readOnly(): boolean {
    return (this.flags & LO_FLAGS.READ_ONLY) !== 0;
  }

  read(pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
    const file = this.backingFile;
    if (file === null) return -Errno.ENXIO;
    const n = Math.max(0, Math.min(length, this.capacity - pos));
    let done = 0;
    while (done < n) {
      const r = file.pread(dst, dstOffset + done, n - done, this.offset + pos + done);
      if (r < 0) return done > 0 ? done : -Errno.EIO;
      if (r === 0) break;
      done += r;
    }
    dst.fill(0, dstOffset + done, dstOffset + n); // past the backing file's end
    this.stats.read(n);
    return n;
  }

  write(pos: number, src: Uint8Array, srcOffset: number, length: number): number {
    const file = this.backingFile;
    if (file === null) return -Errno.ENXIO;
    if (this.readOnly()) return -Errno.EROFS;
    const n = Math.max(0, Math.min(length, this.capacity - pos));
    let done = 0;
    while (done < n) {
      const r = file.pwrite(src, srcOffset + done, n - done, this.offset + pos + done, null);
      if (r < 0) return done > 0 ? done : r === -Errno.ENOSPC ? r : -Errno.EIO;
      if (r === 0) break;
      done += r;
    }
    this.stats.write(done);
    return done;
  }

  /** lo_req_flush: vfs_fsync of the backing file; EIO without one. */
  flush(): number {
    const file = this.backingFile;
    if (file === null) return -Errno.EIO;
    this.stats.flush();
    const r = file.fsync(false);
    return r === -Errno.EINVAL ? 0 : r;
  }

  /** lo_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) on the backing file; EOPNOTSUPP where it has none. */
  discard(pos: number, length: number): number {
    const file = this.backingFile;
    if (file === null) return -Errno.ENXIO;
    const inode = file.inode;
    if (inode.fallocate === undefined) return -Errno.EOPNOTSUPP;
    const r = inode.fallocate(0x03, this.offset + pos, length);
    if (r === 0) this.stats.discard(length);
    return r;
  }

  /** lo_open: a device being detached or removed takes no new openers. */
  open(): number {
    return this.state === 'rundown' || this.state === 'deleting' ? -Errno.ENXIO : 0;
  }

  /** lo_release: at the last close, an autoclear device (or one LOOP_CLR_FD marked) is detached. */
  release(): void {
    if (this.devices.openers(this) > 0) return;
    if (this.state === 'bound' && (this.flags & LO_FLAGS.AUTOCLEAR) !== 0) this.state = 'rundown';
    if (this.state === 'rundown') this.detach();
  }

  /** get_size: the backing file's size past lo_offset, capped by lo_sizelimit, in whole sectors. */
  backingSize(file: OpenFileDescription): number {
    const inode = file.inode;
    const fileSize = (inode.mode & S.S_IFMT) === S.S_IFBLK ? (this.devices.get(inode.rdev)?.size() ?? 0) : Number(inode.size());
    let size = Math.max(0, fileSize - this.offset);
    if (this.sizeLimit > 0 && this.sizeLimit < size) size = this.sizeLimit;
    return size - (size % 512);
  }

  /** loop_configure's end: bound to `file` (whose reference the device now holds) with `flags`. */
  bind(file: OpenFileDescription, flags: number, blockSize: number): void {
    file.incRef();
    this.backingFile = file;
    this.flags = flags;
    this.blockBytes = blockSize;
    this.capacity = this.backingSize(file);
    this.state = 'bound';
    this.diskSequence = this.nextDiskSequence();
    this.events.bound(this);
  }

  /** LOOP_CHANGE_FD: the same data from another file (the caller checked size and read-only). */
  replaceBacking(file: OpenFileDescription): void {
    file.incRef();
    const old = this.backingFile;
    this.backingFile = file;
    this.diskSequence = this.nextDiskSequence();
    old?.decRef();
  }

  /** loop_set_size after a change of offset, size limit or backing size. */
  updateCapacity(): void {
    if (this.backingFile !== null) this.capacity = this.backingSize(this.backingFile);
  }

  /** LOOP_SET_BLOCK_SIZE (the caller validated it). */
  setBlockSize(size: number): void {
    this.blockBytes = size;
  }

  /**
   * loop_set_status_from_info: encryption is gone from Linux (EINVAL for
   * any type but none, or a key size past LO_KEY_SIZE), offsets past
   * LLONG_MAX are EOVERFLOW; the offset, size limit and name are taken.
   */
  statusFromInfo(info: LoopInfo64): number {
    if (info.encryptKeySize > LO_KEY_SIZE || info.encryptType !== 0) return -Errno.EINVAL;
    if (info.offset > LLONG_MAX || info.sizelimit > LLONG_MAX) return -Errno.EOVERFLOW;
    this.offset = Number(info.offset);
    this.sizeLimit = Number(info.sizelimit);
    this.fileName = info.fileName.slice(0, LO_NAME_SIZE);
    this.fileName[LO_NAME_SIZE - 1] = 0;
    return 0;
  }

  /** loop_get_status: ENXIO unless bound; the backing file's st_dev, st_ino and st_rdev. */
  status(): LoopInfo64 | number {
    const file = this.backingFile;
    if (this.state !== 'bound' || file === null) return -Errno.ENXIO;
    const st = file.stat();
    const info = emptyInfo64();
    info.number = this.number;
    info.offset = BigInt(this.offset);
    info.sizelimit = BigInt(this.sizeLimit);
    info.flags = this.flags;
    info.fileName = this.fileName.slice();
    info.device = BigInt(st.dev);
    info.inode = BigInt(st.ino);
    info.rdevice = BigInt(st.rdev);
    return info;
  }

  /** __loop_clr_fd: the backing file goes, the device is empty again. */
  detach(): void {
    const file = this.backingFile;
    this.backingFile = null;
    this.offset = 0;
    this.sizeLimit = 0;
    this.fileName = new Uint8Array(LO_NAME_SIZE);
    this.blockBytes = 512;
    this.capacity = 0;
    this.diskSequence = this.nextDiskSequence();
    this.events.unbound(this);
    this.state = 'unbound';
    file?.decRef();
  }
}
