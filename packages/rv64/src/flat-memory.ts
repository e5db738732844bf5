// A CpuMemory over one contiguous buffer with per-page protections: for
// tests, examples and benchmarks of the CPU alone. The kernel plugs its page
// tables in instead. Its pages are also a CpuTlb that never misses (one
// slot per page), so compiled blocks take their inline path on it and only
// a protected page (or an access crossing a page) goes through the methods.
import { CpuMemoryFault, type CpuMemory, type CpuTlb, type CpuTlbWay, type MemoryAccess } from './memory.js';

const PAGE = 4096;
/** Protection bits, as PROT_READ / PROT_WRITE / PROT_EXEC. */
const READ = 1, WRITE = 2, EXEC = 4;

export class FlatCpuMemory implements CpuMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly prot: Uint8Array;
  private readonly pageViews: DataView[];
  readonly tlb: CpuTlb;

  /** `size` bytes (a multiple of 4096) mapped at `base` (page-aligned), all read/write/execute until protect() says otherwise. */
  constructor(readonly base: number, readonly size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    const pages = Math.ceil(size / PAGE);
    this.prot = new Uint8Array(pages).fill(READ | WRITE | EXEC);
    let slots = 1;
    while (slots < pages) slots *= 2;
    // One DataView per page for the TLB (CpuTlbWay.frame), made once.
    this.pageViews = Array.from({ length: pages }, (_, p) => new DataView(this.bytes.buffer, p * PAGE, PAGE));
    const way = (): CpuTlbWay => ({ tag: new Int32Array(slots).fill(-1), frame: new Array<DataView>(slots).fill(this.view) });
    this.tlb = { mask: slots - 1, read: way(), write: way() };
    this.protect(base, size, READ | WRITE | EXEC);
  }

  /** Sets the protection (PROT_* bits) of the pages covering [address, address + length). */
  protect(address: number, length: number, prot: number): void {
    const first = Math.floor((address - this.base) / PAGE);
    const last = Math.floor((address - this.base + length - 1) / PAGE);
    for (let p = first; p <= last; p++) this.prot[p] = prot;
    // The TLB slots follow: a page is in a way exactly while its protection allows the access.
    const { mask, read, write } = this.tlb;
    for (let p = Math.max(first, 0); p <= Math.min(last, this.prot.length - 1); p++) {
      const page = this.base / PAGE + p;
      const tag = page < 2 ** 30 ? page : -1;
      read.tag[page & mask] = (prot & READ) !== 0 ? tag : -1;
      write.tag[page & mask] = (prot & WRITE) !== 0 ? tag : -1;
      read.frame[page & mask] = write.frame[page & mask] = this.pageViews[p]!;
    }
  }

  /** The offset of [address, address + size) in the buffer, or a fault. */
  private offset(address: number, size: number, need: number, access: MemoryAccess): number {
    const off = address - this.base;
    if (!(off >= 0 && off + size <= this.size)) {
      throw new CpuMemoryFault('maperr', off >= 0 && off < this.size ? this.base + this.size : address, access);
    }
    if ((this.prot[(off / PAGE) | 0]! & need) === 0) throw new CpuMemoryFault('accerr', address, access);
    const end = off + size - 1;
    if ((this.prot[(end / PAGE) | 0]! & need) === 0) throw new CpuMemoryFault('accerr', this.base + (end - (end % PAGE)), access);
    return off;
  }

  // Each access tries the common case inline (in bounds, both ends' pages
  // allowing it) and leaves faults to offset(), which finds the right one.
  private ok(off: number, size: number, need: number): boolean {
    return off >= 0 && off + size <= this.size && (this.prot[off >>> 12]! & this.prot[(off + size - 1) >>> 12]! & need) !== 0;
  }

  load8(address: number): number {
    const off = address - this.base;
    return this.bytes[this.ok(off, 1, READ) ? off : this.offset(address, 1, READ, 'read')]!;
  }
  load16(address: number): number {
    const off = address - this.base;
    return this.view.getUint16(this.ok(off, 2, READ) ? off : this.offset(address, 2, READ, 'read'), true);
  }
  load32(address: number): number {
    const off = address - this.base;
    return this.view.getInt32(this.ok(off, 4, READ) ? off : this.offset(address, 4, READ, 'read'), true);
  }
  store8(address: number, value: number): void {
    const off = address - this.base;
    this.bytes[this.ok(off, 1, WRITE) ? off : this.offset(address, 1, WRITE, 'write')] = value;
  }
  store16(address: number, value: number): void {
    const off = address - this.base;
    this.view.setUint16(this.ok(off, 2, WRITE) ? off : this.offset(address, 2, WRITE, 'write'), value, true);
  }
  store32(address: number, value: number): void {
    const off = address - this.base;
    this.view.setInt32(this.ok(off, 4, WRITE) ? off : this.offset(address, 4, WRITE, 'write'), value | 0, true);
  }
  fetch16(address: number): number {
    const off = address - this.base;
    return this.view.getUint16(this.ok(off, 2, EXEC) ? off : this.offset(address, 2, EXEC, 'execute'), true);
  }
}
