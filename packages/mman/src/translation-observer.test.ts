import { describe, expect, it } from 'vitest';
import { MADV, MAP, MREMAP, PAGE_SIZE, PROT } from '@tskern/abi';
import { brk, setProgramBreak } from './brk';
import { handleFault } from './fault';
import { forkAddressSpace } from './fork';
import { madvise } from './madvise';
import { mmap } from './mmap';
import { mprotect } from './mprotect';
import { mremap } from './mremap';
import { munmap } from './munmap';
import { PTE_EXEC } from './pte';
import { poke, testMemory } from './test-kit';
import type { AddressSpace } from './address-space';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED;
const A = 0x10000000;
const P = A / PAGE_SIZE;

/** Record every invalidation of `as` as its page number. */
function watch(as: AddressSpace): number[] {
  const seen: number[] = [];
  as.pt.observe({ invalidate: (start, end) => { for (let p = start; p < end; p++) seen.push(p); } });
  return seen;
}

describe('PageTable observers', () => {
  it('hear of every change of a present entry, whichever mman call made it, and of nothing else', () => {
    const { space } = testMemory();
    const as = space();
    const seen = watch(as);
    expect(mmap(as, A, 4 * PAGE_SIZE, RW, PRIV, null, 0)).toBe(A);
    for (let p = 0; p < 4; p++) expect(poke(as, A + p * PAGE_SIZE, 'x')).toBe(0);
    expect(seen).toEqual([]); // installing entries where none were changes no translation
    expect(mprotect(as, A, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
    expect(seen.splice(0)).toEqual([P]);
    expect(madvise(as, A + PAGE_SIZE, PAGE_SIZE, MADV.MADV_DONTNEED)).toBe(0);
    expect(seen.splice(0)).toEqual([P + 1]);
    expect(mremap(as, A + 2 * PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, A + 8 * PAGE_SIZE)).toBe(A + 8 * PAGE_SIZE);
    expect(seen.splice(0)).toEqual([P + 2]);
    const child = forkAddressSpace(as); // marks the parent's private pages copy-on-write
    expect(seen.splice(0)).toEqual([P, P + 3, P + 8]);
    const childSeen = watch(child);
    expect(poke(child, A + 3 * PAGE_SIZE, 'y')).toBe(0); // the COW break replaces the child's frame
    expect(childSeen).toEqual([P + 3]);
    expect(munmap(as, A, 16 * PAGE_SIZE)).toBe(0);
    expect(seen.splice(0).sort((a, b) => a - b)).toEqual([P, P + 3, P + 8]);
    child.releaseAll();
    expect(childSeen.slice(1).sort((a, b) => a - b)).toEqual([P, P + 3, P + 8]);
  });

  it('stop hearing once unregistered', () => {
    const { space } = testMemory();
    const as = space();
    const seen: number[] = [];
    const stop = as.pt.observe({ invalidate: (start) => seen.push(start) });
    expect(mmap(as, A, PAGE_SIZE, RW, PRIV, null, 0)).toBe(A);
    expect(poke(as, A, 'x')).toBe(0);
    stop();
    expect(munmap(as, A, PAGE_SIZE)).toBe(0);
    expect(seen).toEqual([]);
  });
});

describe('PTE_EXEC', () => {
  it('follows VM_EXEC through fault, mprotect, mremap, fork and brk; a fetch needs it', () => {
    const { space } = testMemory();
    const as = space();
    const exec = (page: number) => as.pt.flags(page) & PTE_EXEC;
    expect(mmap(as, A, 2 * PAGE_SIZE, RW, PRIV, null, 0)).toBe(A);
    expect(handleFault(as, P, false, true)).toBe(11); // SIGSEGV: no VM_EXEC
    expect(handleFault(as, P, true)).toBe(0);
    expect(exec(P)).toBe(0);
    expect(mprotect(as, A, 2 * PAGE_SIZE, RW | PROT.PROT_EXEC)).toBe(0);
    expect(exec(P)).toBe(PTE_EXEC);
    // A fetch from a non-present page of an executable mapping faults it in.
    expect(handleFault(as, P + 1, false, true)).toBe(0);
    expect(exec(P + 1)).toBe(PTE_EXEC);
    expect(poke(as, A + PAGE_SIZE, 'x')).toBe(0); // the COW break keeps it
    expect(exec(P + 1)).toBe(PTE_EXEC);
    expect(mremap(as, A, PAGE_SIZE, PAGE_SIZE, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, A + 8 * PAGE_SIZE)).toBe(A + 8 * PAGE_SIZE);
    expect(exec(P + 8)).toBe(PTE_EXEC);
    const child = forkAddressSpace(as);
    expect(child.pt.flags(P + 8) & PTE_EXEC).toBe(PTE_EXEC);
    expect(mprotect(as, A + 8 * PAGE_SIZE, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
    expect(exec(P + 8)).toBe(0);
    expect(handleFault(as, P + 8, false, true)).toBe(11);
    // brk's heap is VM_READ | VM_WRITE on riscv64 (no READ_IMPLIES_EXEC).
    setProgramBreak(as, 0x20000000);
    expect(brk(as, 0x20000000 + PAGE_SIZE)).toBe(0x20000000 + PAGE_SIZE);
    expect(handleFault(as, 0x20000000 / PAGE_SIZE, true)).toBe(0);
    expect(as.pt.flags(0x20000000 / PAGE_SIZE) & PTE_EXEC).toBe(0);
  });
});
