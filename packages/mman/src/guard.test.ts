import { describe, expect, it } from 'vitest';
import { setInvariantChecks } from '@tskern/assert';
import { Errno, MADV, MAP, MREMAP, PROT, Signal } from '@tskern/abi';
import { forkAddressSpace } from './fork';
import { madvise } from './madvise';
import { mincore } from './mincore';
import { mmap } from './mmap';
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
});
