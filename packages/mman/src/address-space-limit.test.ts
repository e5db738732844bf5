import { Errno, MAP, PROT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { brk, setProgramBreak } from './brk';
import { mappedBytes } from './locked-memory';
import { UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
import { mmap } from './mmap';
import { mremap } from './mremap';
import { testMemory } from './test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

describe('RLIMIT_AS (may_expand_vm)', () => {
  it('mmap answers ENOMEM past the limit, but MAP_FIXED counts the pages it replaces', () => {
    const as = testMemory().space();
    const limits: MemoryLimits = { ...UNLIMITED_MEMORY, addressSpace: mappedBytes(as) + 4 * K + 100 };
    const a = mmap(as, 0, 4 * K, RW, ANON, null, 0, limits);
    expect(a).toBeGreaterThan(0);
    expect(mmap(as, 0, K, RW, ANON, null, 0, limits)).toBe(-Errno.ENOMEM);
    // Over the existing four pages: no growth.
    expect(mmap(as, a, 4 * K, PROT.PROT_READ, ANON | MAP.MAP_FIXED, null, 0, limits)).toBe(a);
    expect(mmap(as, a + K, 4 * K, RW, ANON | MAP.MAP_FIXED, null, 0, limits)).toBe(-Errno.ENOMEM);
  });

  it('mremap growth and brk growth are refused past it (ENOMEM; brk keeps the old break)', () => {
    const as = testMemory().space();
    setProgramBreak(as, 0x5555_0000_0000);
    const limits: MemoryLimits = { ...UNLIMITED_MEMORY, addressSpace: mappedBytes(as) + 2 * K };
    const a = mmap(as, 0, K, RW, ANON, null, 0, limits);
    expect(mremap(as, a, K, 4 * K, 1, 0, limits)).toBe(-Errno.ENOMEM); // MREMAP_MAYMOVE
    expect(mremap(as, a, K, 2 * K, 1, 0, limits)).toBeGreaterThan(0);
    const before = brk(as, 0, limits);
    expect(brk(as, before + K, limits)).toBe(before);
    expect(brk(as, before + K)).toBe(before + K);
  });
});

describe('RLIMIT_DATA (may_expand_vm)', () => {
  it('bounds private writable mappings only: read-only, shared and stack memory are not data', () => {
    const as = testMemory().space();
    const limits: MemoryLimits = { ...UNLIMITED_MEMORY, data: 4 * K };
    expect(mmap(as, 0, 8 * K, RW, ANON, null, 0, limits)).toBe(-Errno.ENOMEM);
    expect(mmap(as, 0, 8 * K, PROT.PROT_READ, ANON, null, 0, limits)).toBeGreaterThan(0);
    expect(mmap(as, 0, 8 * K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, null, 0, limits)).toBeGreaterThan(0);
    expect(mmap(as, 0, 8 * K, RW, ANON | MAP.MAP_GROWSDOWN, null, 0, limits)).toBeGreaterThan(0);
    expect(mmap(as, 0, 4 * K, RW, ANON, null, 0, limits)).toBeGreaterThan(0);
  });
});
