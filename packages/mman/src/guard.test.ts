import { describe, expect, it } from 'vitest';
import { setInvariantChecks } from '@tskern/assert';
import { Errno, MADV, MAP, MREMAP, PROT, Signal } from '@tskern/abi';
import { forkAddressSpace } from './fork';
import { madvise } from './madvise';
import { mincore } from './mincore';
import { mmap } from './mmap';
import { mprotect } from './mprotect';
import { mremap } from './mremap';
import { munmap } from './munmap';
import { peek, poke, testMemory } from './test-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const K = 4096;

describe('guard regions', () => {
  setInvariantChecks(true);

  it('fault with SIGSEGV, lose private data, survive MADV_DONTNEED, and go on removal', () => {
    const { space, alloc } = testMemory();
    const as = space();
    const a = mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    expect(poke(as, a + K, 'data')).toBe(0);
    expect(madvise(as, a + K, K, MADV.MADV_GUARD_INSTALL)).toBe(0);
    expect(peek(as, a + K, 1)).toBe(Signal.SIGSEGV);
    expect(poke(as, a + K, 'x')).toBe(Signal.SIGSEGV);
    const vec = new Uint8Array(4);
    expect(mincore(as, a, 4 * K, vec)).toBe(0);
    expect([...vec]).toEqual([0, 0, 0, 0]);
    expect(madvise(as, a, 4 * K, MADV.MADV_POPULATE_READ)).toBe(-Errno.EFAULT);
    expect(madvise(as, a, 4 * K, MADV.MADV_DONTNEED)).toBe(0);
    expect(peek(as, a + K, 1)).toBe(Signal.SIGSEGV);
    expect(madvise(as, a + K, K, MADV.MADV_GUARD_REMOVE)).toBe(0);
    expect(peek(as, a + K, 4)).toBe('\0\0\0\0');
    expect(munmap(as, a, 4 * K)).toBe(0);
    expect(alloc.stats().usedFrames).toBe(0);
  });

  it('move with mremap, are copied by fork (not into MADV_WIPEONFORK memory) and go with munmap', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 8 * K, RW, PRIV, null, 0);
    expect(madvise(as, a, K, MADV.MADV_GUARD_INSTALL)).toBe(0);
    expect(mremap(as, a, K, K, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, a + 4 * K)).toBe(a + 4 * K);
    expect(peek(as, a + 4 * K, 1)).toBe(Signal.SIGSEGV);
    expect(madvise(as, a + 5 * K, K, MADV.MADV_WIPEONFORK)).toBe(0);
    expect(madvise(as, a + 5 * K, K, MADV.MADV_GUARD_INSTALL)).toBe(0);
    const child = forkAddressSpace(as);
    expect(peek(child, a + 4 * K, 1)).toBe(Signal.SIGSEGV);
    expect(peek(child, a + 5 * K, 1)).toBe('\0');
    expect(munmap(as, a + 4 * K, K)).toBe(0);
    expect(mmap(as, a + 4 * K, K, RW, PRIV | MAP.MAP_FIXED, null, 0)).toBe(a + 4 * K);
    expect(peek(as, a + 4 * K, 1)).toBe('\0');
    child.releaseAll();
    as.releaseAll();
  });

  it('cost one run, not one entry per page, over the largest mapping the address space allows', () => {
    // The raw fuzzer's MADV_GUARD_INSTALL over 2^48 bytes overflowed a Set of
    // page numbers; runs keep every step O(runs), whatever the length.
    const { space } = testMemory();
    const as = space();
    const huge = 2 ** 46; // a 2^48-byte mapping does not fit below x86-64's 47-bit TASK_SIZE
    const a = mmap(as, 0, huge, PROT.PROT_NONE, PRIV | MAP.MAP_NORESERVE, null, 0);
    expect(a).toBeGreaterThan(0);
    expect(madvise(as, a, huge, MADV.MADV_GUARD_INSTALL)).toBe(0);
    expect(as.guards.size).toBe(1);
    // Markers survive mprotect; a readable page still faults where guarded.
    expect(mprotect(as, a, huge, PROT.PROT_READ)).toBe(0);
    const mid = a + huge / 2;
    for (const at of [a, mid, a + huge - K]) expect(peek(as, at, 1)).toBe(Signal.SIGSEGV);
    expect(madvise(as, mid, 2 * K, MADV.MADV_GUARD_REMOVE)).toBe(0);
    expect(as.guards.size).toBe(2);
    expect(peek(as, mid, 1)).toBe('\0');
    expect(peek(as, mid + 2 * K, 1)).toBe(Signal.SIGSEGV);
    const vec = new Uint8Array(3);
    expect(mincore(as, mid - K, 3 * K, vec)).toBe(0);
    expect([...vec]).toEqual([0, 1, 0]);

    // Move the first 2^40 bytes elsewhere: their markers go with them.
    const part = 2 ** 40;
    const moved = a - 2 * part;
    expect(mremap(as, a, part, part, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, moved)).toBe(moved);
    expect(peek(as, moved, 1)).toBe(Signal.SIGSEGV);
    expect(peek(as, moved + part - K, 1)).toBe(Signal.SIGSEGV);
    expect(peek(as, a, 1)).toBe(Signal.SIGSEGV); // unmapped now: SIGSEGV for another reason
    expect(as.guards.size).toBe(3);

    const child = forkAddressSpace(as);
    expect(child.guards.size).toBe(3);
    for (const at of [moved, a + part, mid + 2 * K, a + huge - K]) expect(peek(child, at, 1)).toBe(Signal.SIGSEGV);
    expect(peek(child, mid + K, 1)).toBe('\0');

    // munmap of a middle part drops its markers; a new mapping there faults normally.
    const hole = a + huge / 4;
    expect(munmap(as, hole, part)).toBe(0);
    expect(as.guards.size).toBe(4);
    expect(mmap(as, hole, part, PROT.PROT_READ, PRIV | MAP.MAP_FIXED | MAP.MAP_NORESERVE, null, 0)).toBe(hole);
    expect(peek(as, hole, 1)).toBe('\0');
    expect(peek(as, hole + part - K, 1)).toBe('\0');
    expect(peek(as, hole + part, 1)).toBe(Signal.SIGSEGV);
    // The child keeps its own markers over the same range.
    expect(peek(child, hole, 1)).toBe(Signal.SIGSEGV);

    // MADV_GUARD_REMOVE of a sub-range of 2^44 bytes.
    const sub = a + huge - 2 ** 44;
    expect(madvise(as, sub, 2 ** 44, MADV.MADV_GUARD_REMOVE)).toBe(0);
    expect(peek(as, sub, 1)).toBe('\0');
    expect(peek(as, a + huge - K, 1)).toBe('\0');
    expect(peek(as, sub - K, 1)).toBe(Signal.SIGSEGV);
    expect(as.guards.size).toBe(4);
    as.check();
    child.check();
    child.releaseAll();
    as.releaseAll();
    expect(as.guards.size).toBe(0);
  });
});
