import { Errno } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';

/** A BlockDevice over an in-memory image (a RAM disk), for tests and examples. */
export class MemoryBlockDevice implements BlockDevice {
  readonly name = 'ram0';
  readonly deviceNumber = 0x100;
  readonly logicalBlockSize = 512;
  readonly physicalBlockSize = 512;
  flushes = 0;
  /** Fail every access with EIO (a dying disk). */
  failing = false;

  constructor(readonly image: Uint8Array) {}

  size(): number {
    return this.image.length;
  }

  readOnly(): boolean {
    return false;
  }

  read(pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
    if (this.failing) return -Errno.EIO;
    const n = Math.max(0, Math.min(length, this.image.length - pos));
    dst.set(this.image.subarray(pos, pos + n), dstOffset);
    return n;
  }

  write(pos: number, src: Uint8Array, srcOffset: number, length: number): number {
    if (this.failing) return -Errno.EIO;
    const n = Math.max(0, Math.min(length, this.image.length - pos));
    this.image.set(src.subarray(srcOffset, srcOffset + n), pos);
    return n;
  }

  flush(): number {
    this.flushes++;
    return 0;
  }
}
