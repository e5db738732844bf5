import { Errno } from '@tskern/abi';
import type { UserMemory } from '@tskern/tasks';

interface Region {
  start: number;
  bytes: Uint8Array;
  writable: boolean;
}

/**
 * User memory for handler tests: a few regions over Uint8Arrays, each
 * readable and maybe writable; everything else faults. Copies are
 * all-or-nothing, like the UserMemory contract.
 */
export class FakeMemory implements UserMemory {
  private readonly regions: Region[] = [];

  map(start: number, length: number, writable = true): Uint8Array {
    const bytes = new Uint8Array(length);
    this.regions.push({ start, bytes, writable });
    return bytes;
  }

  private find(addr: number, length: number, write: boolean): [Uint8Array, number] | null {
    for (const r of this.regions) {
      if (addr >= r.start && addr + length <= r.start + r.bytes.length) {
        if (write && !r.writable) return null;
        return [r.bytes, addr - r.start];
      }
    }
    return null;
  }

  copyIn(addr: number, dst: Uint8Array, dstOffset: number, length: number): number {
    const hit = this.find(addr, length, false);
    if (hit === null) return -Errno.EFAULT;
    dst.set(hit[0].subarray(hit[1], hit[1] + length), dstOffset);
    return 0;
  }

  copyOut(addr: number, src: Uint8Array, srcOffset: number, length: number): number {
    const hit = this.find(addr, length, true);
    if (hit === null) return -Errno.EFAULT;
    hit[0].set(src.subarray(srcOffset, srcOffset + length), hit[1]);
    return 0;
  }

  readString(addr: number, max: number): Uint8Array | number {
    const out: number[] = [];
    for (let i = 0; ; i++) {
      const hit = this.find(addr + i, 1, false);
      if (hit === null) return -Errno.EFAULT;
      const b = hit[0][hit[1]]!;
      if (b === 0) return new Uint8Array(out);
      if (i >= max) return -Errno.ENAMETOOLONG;
      out.push(b);
    }
  }
}
