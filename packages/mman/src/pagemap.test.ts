import { MAP, MADV, PROT } from '@tskern/abi';
import { FIRST_PFN, PM_FILE, PM_GUARD_REGION, PM_MMAP_EXCLUSIVE, PM_PFN_MASK, PM_PRESENT, PM_SWAP } from '@tskern/mm-api';
import { describe, expect, it } from 'vitest';
import { forkAddressSpace } from './fork';
import { madvise } from './madvise';
import { mmap } from './mmap';
import { pagemapEntries, pagemapSource } from './pagemap';
import { peek, poke, testMemory } from './test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const FLAGS = ~PM_PFN_MASK & ((1n << 64n) - 1n);

describe('pagemapEntries', () => {
  it('gives the flags Linux 6.18 shows for anonymous, shared, forked and guarded pages', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    const s = mmap(as, 0, K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, null, 0);
    expect(poke(as, a, 'x')).toBe(0);
    expect(poke(as, s, 'x')).toBe(0);
    expect(madvise(as, a + 2 * K, K, MADV.MADV_GUARD_INSTALL)).toBe(0);
    const page = a / K;
    const e = pagemapEntries(as, page, 4, false);
    expect(e[0]).toBe(PM_PRESENT | PM_MMAP_EXCLUSIVE); // written private anonymous page
    expect(e[1]).toBe(0n); // never touched
    expect(e[2]).toBe(PM_SWAP | PM_GUARD_REGION); // a guard marker, its swap bits hidden
    expect(e[3]).toBe(0n);
    expect(pagemapEntries(as, s / K, 1, false)[0]).toBe(PM_PRESENT | PM_FILE | PM_MMAP_EXCLUSIVE);
    const child = forkAddressSpace(as);
    expect(pagemapEntries(as, page, 1, false)[0]).toBe(PM_PRESENT); // shared with the child now
    expect(pagemapEntries(child, page, 1, false)[0]).toBe(PM_PRESENT);
  });

  it('shows a page loaded from never-written private memory as Linux shows its zero page: present only', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 2 * K, RW, PRIV, null, 0);
    expect(peek(as, a, 1)).toBe('\0');
    expect(pagemapEntries(as, a / K, 1, false)[0]).toBe(PM_PRESENT);
  });

  it('shows frame numbers only when asked, and nothing but zeros once the space is gone', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, K, RW, PRIV, null, 0);
    expect(poke(as, a, 'x')).toBe(0);
    const frame = BigInt(FIRST_PFN + as.pt.frame(a / K));
    const withPfn = pagemapEntries(as, a / K, 1, true)[0]!;
    expect(withPfn & PM_PFN_MASK).toBe(frame);
    expect(withPfn & FLAGS).toBe(PM_PRESENT | PM_MMAP_EXCLUSIVE);
    const src = pagemapSource(as);
    expect(src.taskSize).toBe(as.options.taskSize);
    as.released = true;
    expect([...src.entries(a / K, 2, true)]).toEqual([0n, 0n]);
  });
});
