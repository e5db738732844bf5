import { testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { setInvariantChecks } from '@tskern/assert';
import { Errno, MADV, MAP, MREMAP, MS, PROT, Signal } from '@tskern/abi';
import { forkAddressSpace } from './fork';
import { formatMaps } from './maps';
import { madvise } from './madvise';
import { mincore } from './mincore';
import { mmap } from './mmap';
import { mprotect } from './mprotect';
import { mremap } from './mremap';
import { msync } from './msync';
import { munmap } from './munmap';
import { peek, poke, testMemory } from './test-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const SHARED = MAP.MAP_SHARED | MAP.MAP_ANONYMOUS;
const K = 4096;

describe('private anonymous memory', () => {
  it('maps, stores, loads and faults after munmap', () => {
    const { space, alloc } = testMemory();
    const as = space();
    const a = mmap(as, 0, 3 * K, RW, PRIV, null, 0);
    expect(a).toBeGreaterThan(0);
    expect(a % K).toBe(0);
    expect(peek(as, a, 4)).toBe('\0\0\0\0');
    expect(poke(as, a + K - 2, 'span')).toBe(0);
    expect(peek(as, a + K - 2, 4)).toBe('span');
    expect(munmap(as, a, 3 * K)).toBe(0);
    expect(peek(as, a, 1)).toBe(Signal.SIGSEGV);
    expect(alloc.stats().usedFrames).toBe(0);
  });

  it('rejects what Linux rejects', () => {
    const { space } = testMemory();
    const as = space();
    expect(mmap(as, 0, 0, RW, PRIV, null, 0)).toBe(-Errno.EINVAL);
    expect(mmap(as, 0, K, RW, MAP.MAP_ANONYMOUS, null, 0)).toBe(-Errno.EINVAL);
    expect(mmap(as, 0, K, RW, MAP.MAP_SHARED_VALIDATE | MAP.MAP_ANONYMOUS, null, 0)).toBe(-Errno.EINVAL);
    expect(mmap(as, 0x10001, K, RW, PRIV | MAP.MAP_FIXED, null, 0)).toBe(-Errno.EINVAL);
    expect(munmap(as, 0x10001, K)).toBe(-Errno.EINVAL);
    expect(munmap(as, 0x10000, 0)).toBe(-Errno.EINVAL);
  });

  it('honours a free hint, replaces with MAP_FIXED and refuses with MAP_FIXED_NOREPLACE', () => {
    const { space } = testMemory();
    const as = space();
    const hint = 0x200000000;
    expect(mmap(as, hint, 2 * K, RW, PRIV, null, 0)).toBe(hint);
    poke(as, hint, 'old');
    expect(mmap(as, hint, K, RW, PRIV | MAP.MAP_FIXED_NOREPLACE, null, 0)).toBe(-Errno.EEXIST);
    expect(mmap(as, hint, K, RW, PRIV | MAP.MAP_FIXED, null, 0)).toBe(hint);
    expect(peek(as, hint, 3)).toBe('\0\0\0');
    // An occupied hint is not an error: the mapping goes elsewhere.
    const other = mmap(as, hint, K, RW, PRIV, null, 0);
    expect(other).not.toBe(hint);
    expect(other).toBeGreaterThan(0);
  });

  it('enforces protections and splits and merges VMAs on mprotect', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x300000000, 3 * K, RW, PRIV, null, 0);
    expect(as.mapCount).toBe(1);
    expect(mprotect(as, a + K, K, PROT.PROT_READ)).toBe(0);
    expect(as.mapCount).toBe(3);
    expect(poke(as, a + K, 'x')).toBe(Signal.SIGSEGV);
    expect(poke(as, a, 'x')).toBe(0);
    expect(mprotect(as, a + K, K, PROT.PROT_NONE)).toBe(0);
    expect(peek(as, a + K, 1)).toBe(Signal.SIGSEGV);
    expect(mprotect(as, a + K, K, RW)).toBe(0);
    expect(as.mapCount).toBe(1);
    expect(mprotect(as, a, 0, PROT.PROT_READ)).toBe(0);
  });

  it('mprotect over a hole changes what precedes it and answers ENOMEM', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x300000000, 3 * K, RW, PRIV, null, 0);
    munmap(as, a + K, K);
    expect(mprotect(as, a, 3 * K, PROT.PROT_READ)).toBe(-Errno.ENOMEM);
    expect(poke(as, a, 'x')).toBe(Signal.SIGSEGV);
    expect(poke(as, a + 2 * K, 'x')).toBe(0);
    expect(mprotect(as, a + K, K, PROT.PROT_READ)).toBe(-Errno.ENOMEM);
  });

  it('gives 65530 mappings and then ENOMEM (vm.max_map_count)', () => {
    const { space } = testMemory({ maxMapCount: 65530 });
    const as = space();
    // Whole-structure checks after each of 65k calls would make this quadratic.
    setInvariantChecks(false);
    let count = 0;
    for (let i = 0; i < 70000; i++) {
      // Alternate protections so neighbours never merge.
      const r = mmap(as, 0, K, i % 2 === 0 ? PROT.PROT_READ : RW, PRIV, null, 0);
      if (r < 0) {
        expect(r).toBe(-Errno.ENOMEM);
        break;
      }
      count++;
    }
    setInvariantChecks(true);
    as.check();
    // do_mmap refuses once map_count > max_map_count, so one more fits.
    expect(count).toBe(65531);
    // The count is Linux's limit, not a budget: a deliberate timeout instead.
  }, testTimeout(30_000));
});

describe('fork and copy-on-write', () => {
  it('gives the child a private copy and lets the last owner write in place', () => {
    const { space, alloc } = testMemory();
    const parent = space();
    const a = mmap(parent, 0, 2 * K, RW, PRIV, null, 0);
    poke(parent, a, 'parent');
    const child = forkAddressSpace(parent);
    expect(peek(child, a, 6)).toBe('parent');
    const before = alloc.stats().usedFrames;
    poke(child, a, 'child!');
    expect(alloc.stats().usedFrames).toBe(before + 1);
    expect(peek(parent, a, 6)).toBe('parent');
    // The parent is now the only owner of the original frame: no copy.
    poke(parent, a, 'mine!!');
    expect(alloc.stats().usedFrames).toBe(before + 1);
    expect(peek(child, a, 6)).toBe('child!');
    child.releaseAll();
    parent.releaseAll();
    expect(alloc.stats().usedFrames).toBe(0);
  });

  it('shares MAP_SHARED memory and skips MADV_DONTFORK ranges', () => {
    const { space, alloc } = testMemory();
    const parent = space();
    const s = mmap(parent, 0, K, RW, SHARED, null, 0);
    const d = mmap(parent, 0, K, RW, PRIV, null, 0);
    expect(madvise(parent, d, K, MADV.MADV_DONTFORK)).toBe(0);
    const child = forkAddressSpace(parent);
    poke(child, s, 'both');
    expect(peek(parent, s, 4)).toBe('both');
    expect(peek(child, d, 1)).toBe(Signal.SIGSEGV);
    parent.releaseAll();
    expect(peek(child, s, 4)).toBe('both');
    child.releaseAll();
    expect(alloc.stats().usedFrames).toBe(0);
  });

  it('lets two sharers hold different protections', () => {
    const { space } = testMemory();
    const parent = space();
    const s = mmap(parent, 0, K, RW, SHARED, null, 0);
    const child = forkAddressSpace(parent);
    expect(mprotect(child, s, K, PROT.PROT_READ)).toBe(0);
    expect(poke(child, s, 'x')).toBe(Signal.SIGSEGV);
    expect(poke(parent, s, 'y')).toBe(0);
    expect(peek(child, s, 1)).toBe('y');
  });
});

describe('mremap', () => {
  it('grows in place, moves with MAYMOVE, and keeps data', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x400000000, K, RW, PRIV, null, 0);
    poke(as, a, 'data');
    expect(mremap(as, a, K, 2 * K, 0, 0)).toBe(a);
    mmap(as, a + 2 * K, K, RW, PRIV | MAP.MAP_FIXED, null, 0);
    expect(mremap(as, a, 2 * K, 4 * K, 0, 0)).toBe(-Errno.ENOMEM);
    const b = mremap(as, a, 2 * K, 4 * K, MREMAP.MREMAP_MAYMOVE, 0);
    expect(b).toBeGreaterThan(0);
    expect(b).not.toBe(a);
    expect(peek(as, b, 4)).toBe('data');
    expect(peek(as, a, 1)).toBe(Signal.SIGSEGV);
  });

  it('checks its arguments as mm/mremap.c', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x400000000, 2 * K, RW, PRIV, null, 0);
    expect(mremap(as, a, K, K, MREMAP.MREMAP_FIXED, a + 8 * K)).toBe(-Errno.EINVAL);
    expect(mremap(as, a, 2 * K, 2 * K, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, a + K)).toBe(-Errno.EINVAL);
    expect(mremap(as, a, 3 * K, 4 * K, MREMAP.MREMAP_MAYMOVE, 0)).toBe(-Errno.EFAULT);
    expect(mremap(as, a + 16 * K, K, 2 * K, MREMAP.MREMAP_MAYMOVE, 0)).toBe(-Errno.EFAULT);
    expect(mremap(as, a, K, 0, MREMAP.MREMAP_MAYMOVE, 0)).toBe(-Errno.EINVAL);
  });

  it('DONTUNMAP leaves private memory mapped and empty', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x400000000, K, RW, PRIV, null, 0);
    poke(as, a, 'keep');
    const b = mremap(as, a, K, K, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_DONTUNMAP, 0);
    expect(b).toBeGreaterThan(0);
    expect(peek(as, b, 4)).toBe('keep');
    expect(peek(as, a, 4)).toBe('\0\0\0\0');
  });
});

describe('madvise, mincore, msync', () => {
  it('DONTNEED zeroes private memory and keeps shared data', () => {
    const { space } = testMemory();
    const as = space();
    const p = mmap(as, 0, K, RW, PRIV, null, 0);
    const s = mmap(as, 0, K, RW, SHARED, null, 0);
    poke(as, p, 'p');
    poke(as, s, 's');
    expect(madvise(as, p, K, MADV.MADV_DONTNEED)).toBe(0);
    expect(madvise(as, s, K, MADV.MADV_DONTNEED)).toBe(0);
    expect(peek(as, p, 1)).toBe('\0');
    expect(peek(as, s, 1)).toBe('s');
    expect(madvise(as, s, K, MADV.MADV_REMOVE)).toBe(0);
    expect(peek(as, s, 1)).toBe('\0');
    expect(madvise(as, p, K, MADV.MADV_REMOVE)).toBe(-Errno.EINVAL);
    expect(madvise(as, p, K, 12345)).toBe(-Errno.EINVAL);
  });

  it('MADV_HWPOISON and MADV_SOFT_OFFLINE are EINVAL, as on a kernel without CONFIG_MEMORY_FAILURE (the host: LTP madvise07 TCONF)', () => {
    const { space } = testMemory();
    const as = space();
    const p = mmap(as, 0, K, RW, PRIV, null, 0);
    expect(madvise(as, p, K, MADV.MADV_HWPOISON)).toBe(-Errno.EINVAL);
    expect(madvise(as, p, K, MADV.MADV_SOFT_OFFLINE)).toBe(-Errno.EINVAL);
  });

  it('mincore reports touched pages and ENOMEM for holes', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x500000000, 4 * K, RW, PRIV, null, 0);
    poke(as, a + K, 'x');
    const vec = new Uint8Array(4);
    expect(mincore(as, a, 4 * K, vec)).toBe(0);
    expect([...vec]).toEqual([0, 1, 0, 0]);
    expect(mincore(as, a + 8 * K, K, new Uint8Array(1))).toBe(-Errno.ENOMEM);
    expect(mincore(as, a + 1, K, new Uint8Array(1))).toBe(-Errno.EINVAL);
  });

  it('msync checks flags and holes', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x500000000, 2 * K, RW, PRIV, null, 0);
    expect(msync(as, a, 2 * K, MS.MS_SYNC)).toBe(0);
    expect(msync(as, a, K, MS.MS_SYNC | MS.MS_ASYNC)).toBe(-Errno.EINVAL);
    expect(msync(as, a + 1, K, MS.MS_SYNC)).toBe(-Errno.EINVAL);
    expect(msync(as, a, 4 * K, MS.MS_SYNC)).toBe(-Errno.ENOMEM);
  });
});

describe('maps', () => {
  it('prints Linux lines with s/p and /dev/zero (deleted)', () => {
    const { space } = testMemory();
    const as = space();
    mmap(as, 0x600000000, K, RW, PRIV, null, 0);
    mmap(as, 0x600002000, 2 * K, PROT.PROT_READ, SHARED, null, 0);
    const lines = formatMaps(as).split('\n');
    expect(lines[0]).toBe('600000000-600001000 rw-p 00000000 00:00 0 ');
    expect(lines[1]).toMatch(/^600002000-600004000 r--s 00000000 00:01 \d+ +\/dev\/zero \(deleted\)$/);
    expect(lines[1]!.indexOf('/dev/zero')).toBe(73);
  });
});
