import { describe, expect, it } from 'vitest';
import { Errno, MAP, MREMAP, PROT } from '@tskern/abi';
import { mappedBytes } from './locked-memory';
import { UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
import { mmap } from './mmap';
import { mremap } from './mremap';
import { testMemory } from './test-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const K = 4096;

describe('MREMAP_DONTUNMAP', () => {
  it('keeps the old range mapped, so it must fit RLIMIT_AS (ENOMEM on Linux 6.18 where a plain move fits)', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, K, RW, PRIV, null, 0);
    const limits: MemoryLimits = { ...UNLIMITED_MEMORY, addressSpace: mappedBytes(as) + K / 2 };
    expect(mremap(as, a, K, K, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_DONTUNMAP, 0, limits)).toBe(-Errno.ENOMEM);
    expect(mremap(as, a, K, K, MREMAP.MREMAP_MAYMOVE, 0, limits)).toBeGreaterThan(0);
  });
});
