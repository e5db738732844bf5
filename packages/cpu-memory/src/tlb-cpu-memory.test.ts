import { MAP, MADV, PAGE_SIZE, PROT } from '@tskern/abi';
import { forkAddressSpace, madvise, mmap, mprotect, munmap, PTE_EXEC, type AddressSpace } from '@tskern/mman';
import { CpuMemoryFault, type CpuMemory } from '@tskern/rv64';
import { describe, expect, it } from 'vitest';
import { createCpuMemory } from './index';
import { world } from './testing/world';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const RX = PROT.PROT_READ | PROT.PROT_EXEC;
const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED;
const A = 0x10000000;

function mapAnon(as: AddressSpace, addr: number, pages: number, prot: number): void {
  expect(mmap(as, addr, pages * PAGE_SIZE, prot, ANON, null, 0)).toBe(addr);
}

/** The fault an access throws, as [kind, address, access], or 'ok'. */
function outcome(fn: () => unknown): unknown {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof CpuMemoryFault)) throw e;
    return [e.kind, e.address, e.access];
  }
}

describe('TlbCpuMemory', () => {
  it('loads, stores and fetches little-endian with the widths of the interface', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 2, RW | PROT.PROT_EXEC);
    const m = createCpuMemory(as);
    m.store32(A, 0x80402010);
    expect(m.load32(A)).toBe(0x80402010 | 0);
    expect(m.load16(A + 2)).toBe(0x8040);
    expect(m.load8(A + 3)).toBe(0x80);
    expect(m.fetch16(A)).toBe(0x2010);
    m.store16(A + 6, 0x1ffff);
    m.store8(A + 8, 0x1ab);
    expect([m.load16(A + 6), m.load8(A + 8)]).toEqual([0xffff, 0xab]);
  });

  it('a store that fills the write TLB fills the read TLB too, and a later change of the page drops both', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 1, RW);
    const m = createCpuMemory(as);
    const page = A / PAGE_SIZE;
    const slot = page & m.tlb.mask;
    m.store8(A + 5, 0x77);
    expect(m.tlb.write.tag[slot]).toBe(page);
    expect(m.tlb.read.tag[slot]).toBe(page);
    expect(m.load8(A + 5)).toBe(0x77);
    // Read-only now: both slots go, and a load faults nothing but a store does.
    expect(mprotect(as, A, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
    expect([m.tlb.write.tag[slot], m.tlb.read.tag[slot]]).toEqual([-1, -1]);
    expect(m.load8(A + 5)).toBe(0x77);
    expect(outcome(() => m.store8(A, 1))).toEqual(['accerr', A, 'write']);
  });

  it('two address spaces mapping the same shm pages see each other\'s stores at once, through the same frame', () => {
    const w = world();
    expect(w.truncate(2 * PAGE_SIZE)).toBe(0);
    const a = w.space();
    const b = w.space();
    expect(mmap(a, A, 2 * PAGE_SIZE, RW, MAP.MAP_SHARED | MAP.MAP_FIXED, w.source, 0)).toBe(A);
    const B = A + 0x100000;
    expect(mmap(b, B, 2 * PAGE_SIZE, RW, MAP.MAP_SHARED | MAP.MAP_FIXED, w.source, 0)).toBe(B);
    const ma = createCpuMemory(a);
    const mb = createCpuMemory(b);
    expect(mb.load32(B + 100)).toBe(0); // b's TLB now holds the page
    ma.store32(A + 100, 0x12345678);
    expect(mb.load32(B + 100)).toBe(0x12345678);
    mb.store8(B + PAGE_SIZE + 1, 0x5a);
    expect(ma.load8(A + PAGE_SIZE + 1)).toBe(0x5a);
    // No copy: both page tables hold the file's frame.
    expect(a.pt.frame(A / PAGE_SIZE)).toBe(b.pt.frame(B / PAGE_SIZE));
  });

  it('an instruction fetch needs PROT_EXEC: SEGV_ACCERR without it, whatever mprotect did last', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 1, RW);
    const m = createCpuMemory(as);
    m.store32(A, 0x00000073);
    expect(outcome(() => m.fetch16(A))).toEqual(['accerr', A, 'execute']);
    expect(mprotect(as, A, PAGE_SIZE, RX)).toBe(0);
    expect(m.fetch16(A)).toBe(0x0073);
    expect(as.pt.flags(A / PAGE_SIZE) & PTE_EXEC).toBe(PTE_EXEC);
    expect(mprotect(as, A, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
    expect(outcome(() => m.fetch16(A + 2))).toEqual(['accerr', A + 2, 'execute']);
    expect(m.load8(A)).toBe(0x73);
    expect(outcome(() => m.fetch16(A + PAGE_SIZE))).toEqual(['maperr', A + PAGE_SIZE, 'execute']);
  });

  it('a fetch from a non-present page of an executable mapping faults it in like a read', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 1, PROT.PROT_EXEC | PROT.PROT_READ);
    expect(as.pt.flags(A / PAGE_SIZE)).toBe(0);
    expect(createCpuMemory(as).fetch16(A + 10)).toBe(0);
    expect(as.pt.flags(A / PAGE_SIZE) & PTE_EXEC).toBe(PTE_EXEC);
  });

  it('a misaligned access crossing pages works byte by byte; a failing second page faults at its first byte', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 2, RW);
    mapAnon(as, A + 2 * PAGE_SIZE, 1, PROT.PROT_READ);
    const m = createCpuMemory(as);
    const edge = A + PAGE_SIZE - 1;
    m.store32(edge, 0xa1b2c3d4);
    expect(m.load32(edge) >>> 0).toBe(0xa1b2c3d4);
    expect([m.load8(edge), m.load8(edge + 1)]).toEqual([0xd4, 0xc3]);
    m.store16(edge, 0xbeef);
    expect(m.load16(edge)).toBe(0xbeef);
    // Into a read-only page: the bytes before it are stored, as the emulation does.
    const edge2 = A + 2 * PAGE_SIZE - 2;
    expect(outcome(() => m.store32(edge2, 0x44332211))).toEqual(['accerr', A + 2 * PAGE_SIZE, 'write']);
    expect(m.load16(edge2)).toBe(0x2211);
    // Into nothing.
    const edge3 = A + 3 * PAGE_SIZE - 1;
    expect(outcome(() => m.load32(edge3))).toEqual(['maperr', A + 3 * PAGE_SIZE, 'read']);
  });

  it('faults carry the kind Linux reports: SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR beyond the end of a file', () => {
    const w = world();
    expect(w.truncate(100)).toBe(0);
    const as = w.space();
    expect(mmap(as, A, 2 * PAGE_SIZE, RW, MAP.MAP_SHARED | MAP.MAP_FIXED, w.source, 0)).toBe(A);
    mapAnon(as, A + 4 * PAGE_SIZE, 1, PROT.PROT_NONE);
    const m = createCpuMemory(as);
    expect(m.load8(A + 4000)).toBe(0); // inside the EOF page
    expect(outcome(() => m.load32(A + PAGE_SIZE + 8))).toEqual(['adrerr', A + PAGE_SIZE + 8, 'read']);
    expect(outcome(() => m.store8(A + 4 * PAGE_SIZE + 3, 1))).toEqual(['accerr', A + 4 * PAGE_SIZE + 3, 'write']);
    expect(outcome(() => m.load8(A + 3 * PAGE_SIZE))).toEqual(['maperr', A + 3 * PAGE_SIZE, 'read']);
    expect(outcome(() => m.load8(-8))).toEqual(['maperr', -8, 'read']);
    expect(outcome(() => m.load8(2 ** 52))).toEqual(['maperr', 2 ** 52, 'read']);
  });

  it('stale translations go: munmap, COW after fork, MADV_DONTNEED, exit', () => {
    const w = world();
    const parent = w.space();
    mapAnon(parent, A, 1, RW);
    const mp: CpuMemory = createCpuMemory(parent);
    mp.store32(A, 1);
    const child = forkAddressSpace(parent);
    const mc = createCpuMemory(child);
    expect(mc.load32(A)).toBe(1);
    mp.store32(A, 2); // fork write-protected the parent's page: this store copies
    expect([mp.load32(A), mc.load32(A)]).toEqual([2, 1]);
    mc.store32(A, 3);
    expect([mp.load32(A), mc.load32(A)]).toEqual([2, 3]);
    expect(madvise(child, A, PAGE_SIZE, MADV.MADV_DONTNEED)).toBe(0);
    expect(mc.load32(A)).toBe(0);
    expect(munmap(parent, A, PAGE_SIZE)).toBe(0);
    expect(outcome(() => mp.load32(A))).toEqual(['maperr', A, 'read']);
    child.releaseAll();
    expect(outcome(() => mc.load8(A))).toEqual(['maperr', A, 'read']);
  });

  it('tells its code watchers when a page it fetched from changes translation, once', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 2, RX);
    const m = createCpuMemory(as);
    const seen: [number, number][] = [];
    const stop = m.watchCode((address, length) => seen.push([address, length]));
    m.fetch16(A);
    m.load8(A + PAGE_SIZE); // read only: no code there
    expect(munmap(as, A, 2 * PAGE_SIZE)).toBe(0);
    expect(seen).toEqual([[A, PAGE_SIZE]]);
    mapAnon(as, A, 1, RX);
    m.fetch16(A);
    stop();
    expect(munmap(as, A, PAGE_SIZE)).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('after dispose the page table no longer reports to it', () => {
    const w = world();
    const as = w.space();
    mapAnon(as, A, 1, RW);
    const m = createCpuMemory(as);
    const seen: number[] = [];
    m.watchCode((a) => seen.push(a));
    mprotect(as, A, PAGE_SIZE, RX);
    m.fetch16(A);
    m.dispose();
    expect(munmap(as, A, PAGE_SIZE)).toBe(0);
    expect(seen).toEqual([]);
    expect(() => createCpuMemory(as, { tlbEntries: 3 })).toThrow(RangeError);
  });
});
