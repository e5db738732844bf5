import { MAP, PROT } from '@tskern/abi';
import { FIRST_PFN, KPF, PM_PFN_MASK } from '@tskern/mm-api';
import { describe, expect, it } from 'vitest';
import type { AddressSpace } from './address-space';
import { forkAddressSpace } from './fork';
import { mmap } from './mmap';
import { munmap } from './munmap';
import { pagemapEntries } from './pagemap';
import { physicalPageSource } from './physical-pages';
import { peek, poke, testMemory } from './test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const SHARED = MAP.MAP_SHARED | MAP.MAP_ANONYMOUS;

/** KPF bit names of an entry, for readable expectations. */
function names(entry: bigint): string[] {
  return Object.entries(KPF)
    .filter(([, b]) => (entry & (1n << BigInt(b))) !== 0n)
    .map(([n]) => n)
    .sort();
}

function setup() {
  const mem = testMemory();
  const spaces = new Set<AddressSpace>();
  const space = () => {
    const as = mem.space();
    spaces.add(as);
    return as;
  };
  const phys = physicalPageSource(mem.alloc, () => spaces);
  /** The page frame number pagemap gives the page at `addr`. */
  const pfn = (as: AddressSpace, addr: number) => Number(pagemapEntries(as, addr / K, 1, true)[0]! & PM_PFN_MASK);
  const flags = (at: number) => names(phys.flags(at, 1)[0]!);
  const count = (at: number) => Number(phys.mapCounts(at, 1)[0]!);
  return { ...mem, spaces, space, phys, pfn, flags, count };
}

describe('physicalPageSource', () => {
  it('reports the kinds of page Linux 6.18 reports for the same programs (tooling/programs/kpageflags_basic)', () => {
    const { space, spaces, pfn, flags, count } = setup();
    const as = space();
    const a = mmap(as, 0, 2 * K, RW, PRIV, null, 0);
    expect(peek(as, a + K, 1)).toBe('\0');
    expect(flags(pfn(as, a + K))).toEqual(['ZERO_PAGE']);
    expect(count(pfn(as, a + K))).toBe(0);
    expect(poke(as, a, 'x')).toBe(0);
    expect(flags(pfn(as, a))).toEqual(['ANON', 'LRU', 'MMAP', 'SWAPBACKED', 'UPTODATE']);
    expect(count(pfn(as, a))).toBe(1);
    const s = mmap(as, 0, K, RW, SHARED, null, 0);
    expect(poke(as, s, 'x')).toBe(0);
    expect(flags(pfn(as, s))).toEqual(['DIRTY', 'LRU', 'MMAP', 'SWAPBACKED', 'UPTODATE']);
    // a fork maps the written private page twice, copy-on-write, once the child's space is listed
    const child = forkAddressSpace(as);
    expect(count(pfn(as, a))).toBe(1);
    spaces.add(child);
    expect(count(pfn(as, a))).toBe(2);
    expect(flags(pfn(child, a))).toContain('ANON');
  });

  it('loaded shared memory is clean until a store faults a page in', () => {
    const { space, pfn, flags } = setup();
    const as = space();
    const s = mmap(as, 0, 2 * K, RW, SHARED, null, 0);
    expect(peek(as, s, 1)).toBe('\0');
    expect(flags(pfn(as, s))).toEqual(['LRU', 'MMAP', 'SWAPBACKED', 'UPTODATE']);
    expect(poke(as, s + K, 'x')).toBe(0);
    expect(flags(pfn(as, s + K))).toContain('DIRTY');
  });

  it('a free frame is BUDDY, frame numbers below FIRST_PFN are holes, and reads stop at endPfn', () => {
    const { space, pfn, flags, count, phys, alloc } = setup();
    const as = space();
    const a = mmap(as, 0, K, RW, PRIV, null, 0);
    expect(poke(as, a, 'x')).toBe(0);
    const at = pfn(as, a);
    expect(at).toBeGreaterThanOrEqual(FIRST_PFN);
    expect(munmap(as, a, K)).toBe(0);
    expect(flags(at)).toEqual(['BUDDY']);
    expect(count(at)).toBe(0);
    expect(flags(FIRST_PFN - 1)).toEqual(['NOPAGE']);
    expect(flags(0)).toEqual(['NOPAGE']);
    expect(phys.endPfn).toBe(FIRST_PFN + alloc.stats().totalFrames);
    const run = phys.flags(FIRST_PFN - 2, 4);
    expect(run.length).toBe(4);
    expect(phys.cgroupInodes).toBeUndefined();
  });

  it('with cgroupOf, gives each frame number its memory cgroup inode (0 below FIRST_PFN)', () => {
    const { alloc } = setup();
    const phys = physicalPageSource(alloc, () => [], (frame) => frame * 10);
    expect([...phys.cgroupInodes!(FIRST_PFN - 1, 3)]).toEqual([0n, 0n, 10n]);
  });
});
