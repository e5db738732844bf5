import { Errno } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';

/**
 * A device error (or a corrupt structure) met deep inside an operation. The
 * file system's entry points catch it and answer its errno, so nothing
 * thrown reaches the VFS; inside, it saves threading -errno through every
 * block lookup.
 */
export class ExtError extends Error {
  constructor(readonly errno: number) {
    super(`ext4: errno ${errno}`);
  }
}

/** Run `fn`, answering an ExtError's `-errno` instead of throwing it (EIO for a corrupt image). */
export function guarded<T>(fn: () => T): T | number {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExtError) return -e.errno;
    throw e;
  }
}

/**
 * The metadata blocks of one mounted file system, as Linux's buffer heads
 * of the block device (fs/buffer.c): bitmaps, descriptor table, inode
 * table, directory, extent and indirect blocks are read once and then
 * changed in memory; `markDirty` queues a block and `flush` writes the
 * dirty ones (sync, fsync, umount). File data does not go through here:
 * the page cache reads and writes it with `readRaw`/`writeRaw`.
 */
export class BlockCache {
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly dirty = new Set<number>();
  /** Bytes written to the device, for s_kbytes_written. */
  bytesWritten = 0;

  constructor(
    readonly device: BlockDevice,
    readonly blockSize: number,
  ) {}

  /** The block's bytes (shared: change them, then markDirty); EIO from the device throws ExtError. */
  get(block: number): Uint8Array {
    const have = this.blocks.get(block);
    if (have !== undefined) return have;
    const data = new Uint8Array(this.blockSize);
    this.readRaw(block * this.blockSize, data, 0, this.blockSize);
    this.blocks.set(block, data);
    return data;
  }

  /** A freshly allocated metadata block: zeroed, not read, dirty. */
  fresh(block: number): Uint8Array {
    const data = new Uint8Array(this.blockSize);
    this.blocks.set(block, data);
    this.dirty.add(block);
    return data;
  }

  markDirty(block: number): void {
    this.dirty.add(block);
  }

  /** The block was freed (or becomes file data): drop any cached copy unwritten. */
  forget(block: number): void {
    this.blocks.delete(block);
    this.dirty.delete(block);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Write every dirty block in block order; the first failure throws, the rest stay dirty. */
  flush(): void {
    for (const b of [...this.dirty].sort((a, c) => a - c)) {
      this.writeRaw(b * this.blockSize, this.blocks.get(b)!, 0, this.blockSize);
      this.dirty.delete(b);
    }
  }

  /** Drop everything (after a flush, at umount). */
  clear(): void {
    this.blocks.clear();
    this.dirty.clear();
  }

  readRaw(pos: number, dst: Uint8Array, off: number, len: number): void {
    const n = this.device.read(pos, dst, off, len);
    if (n < 0) throw new ExtError(-n);
    if (n !== len) throw new ExtError(Errno.EIO);
  }

  writeRaw(pos: number, src: Uint8Array, off: number, len: number): void {
    const n = this.device.write(pos, src, off, len);
    if (n < 0) throw new ExtError(-n);
    if (n !== len) throw new ExtError(Errno.EIO);
    this.bytesWritten += len;
  }
}
