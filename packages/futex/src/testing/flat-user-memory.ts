import { Errno } from '@tskern/abi';
import type { RobustListMemory } from '../futex-memory';

/**
 * Flat little-endian user memory for tests: [base, base + size) is mapped,
 * [roBase, roEnd) is read-only; everything else faults.
 */
export class FlatUserMemory implements RobustListMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly base: number,
    size: number,
    private readonly readOnly: [number, number] = [0, 0],
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  private inside(addr: number, len: number): boolean {
    return addr >= this.base && addr + len <= this.base + this.bytes.length;
  }

  readU32(addr: number): number {
    if (!this.inside(addr, 4)) return -Errno.EFAULT;
    return this.view.getUint32(addr - this.base, true);
  }

  writeU32(addr: number, value: number): void {
    this.view.setUint32(addr - this.base, value >>> 0, true);
  }

  cmpxchgU32(addr: number, expected: number, desired: number): number {
    if (!this.inside(addr, 4) || (addr >= this.readOnly[0] && addr < this.readOnly[1])) return -Errno.EFAULT;
    const cur = this.view.getUint32(addr - this.base, true);
    if (cur === expected >>> 0) this.view.setUint32(addr - this.base, desired >>> 0, true);
    return cur;
  }

  readWord(addr: number): number | null {
    if (!this.inside(addr, 8)) return null;
    return this.view.getInt32(addr - this.base + 4, true) * 0x1_0000_0000 + this.view.getUint32(addr - this.base, true);
  }

  writeWord(addr: number, value: number): void {
    this.view.setUint32(addr - this.base, value >>> 0, true);
    this.view.setInt32(addr - this.base + 4, Math.floor(value / 0x1_0000_0000), true);
  }
}
