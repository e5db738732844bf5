import { Errno } from '@tskern/abi';
import type { ExecMemory, MapPlacement } from '../exec-memory';

/** One call the fake received, in order. */
export type MemoryOp =
  | { readonly op: 'mapFile'; readonly file: unknown; readonly addr: number; readonly length: number; readonly prot: number; readonly placement: MapPlacement; readonly offset: number }
  | { readonly op: 'mapAnonymous'; readonly addr: number; readonly length: number; readonly exec: boolean }
  | { readonly op: 'unmap'; readonly addr: number; readonly length: number }
  | { readonly op: 'zero'; readonly addr: number; readonly length: number }
  | { readonly op: 'write'; readonly addr: number; readonly length: number };

const PAGE = 4096;
const MMAP_MIN_ADDR = 4096;

/**
 * A page-granular fake address space: it records every call, refuses
 * MAP_FIXED_NOREPLACE over a mapped page (-EEXIST), places hinted mappings
 * top-down below `mmapBase` (or at a free hint), refuses anything ending
 * past `taskSize` (-ENOMEM, as get_unmapped_area) and fixed ones below
 * mmap_min_addr (-EPERM, as security_mmap_addr), and faults (-EFAULT) on
 * a zero or write to an unmapped page.
 */
export class FakeExecMemory implements ExecMemory<string> {
  readonly ops: MemoryOp[] = [];
  /** Mapped page numbers. */
  readonly pages = new Set<number>();

  constructor(readonly mmapBase = 0x3ff7fff000, readonly taskSize = 0x4000000000) {}

  mapFile(file: string, addr: number, length: number, prot: number, placement: MapPlacement, offset: number): number {
    this.ops.push({ op: 'mapFile', file, addr, length, prot, placement, offset });
    return this.place(addr, length, placement);
  }

  mapAnonymous(addr: number, length: number, exec: boolean): number {
    this.ops.push({ op: 'mapAnonymous', addr, length, exec });
    if (addr + length > this.taskSize) return -Errno.ENOMEM;
    if (addr < MMAP_MIN_ADDR) return -Errno.EPERM;
    this.mark(addr, length, true);
    return 0;
  }

  unmap(addr: number, length: number): number {
    this.ops.push({ op: 'unmap', addr, length });
    this.mark(addr, length, false);
    return 0;
  }

  zero(addr: number, length: number): number {
    this.ops.push({ op: 'zero', addr, length });
    return this.covered(addr, length) ? 0 : -Errno.EFAULT;
  }

  write(addr: number, bytes: Uint8Array): number {
    this.ops.push({ op: 'write', addr, length: bytes.length });
    return this.covered(addr, bytes.length) ? 0 : -Errno.EFAULT;
  }

  private place(addr: number, length: number, placement: MapPlacement): number {
    if (placement !== 'hint' && addr + length > this.taskSize) return -Errno.ENOMEM;
    if (placement !== 'hint' && addr < MMAP_MIN_ADDR) return -Errno.EPERM;
    if (placement === 'fixed-noreplace' && !this.free(addr, length)) return -Errno.EEXIST;
    if (placement === 'hint') {
      if (addr === 0 || addr + length > this.taskSize || !this.free(addr, length)) {
        let at = this.mmapBase - length;
        while (!this.free(at, length)) at -= PAGE;
        addr = at;
      }
    }
    this.mark(addr, length, true);
    return addr;
  }

  private free(addr: number, length: number): boolean {
    for (let p = addr / PAGE; p < (addr + length) / PAGE; p++) if (this.pages.has(p)) return false;
    return true;
  }

  private covered(addr: number, length: number): boolean {
    for (let p = Math.floor(addr / PAGE); p < Math.ceil((addr + length) / PAGE); p++) if (!this.pages.has(p)) return false;
    return true;
  }

  private mark(addr: number, length: number, on: boolean): void {
    for (let p = addr / PAGE; p < (addr + length) / PAGE; p++) {
      if (on) this.pages.add(p);
      else this.pages.delete(p);
    }
  }
}
