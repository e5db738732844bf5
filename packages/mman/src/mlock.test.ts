import { Errno, MAP, MCL, MLOCK_ONFAULT, PROT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { forkAddressSpace } from './fork';
import { lockedBytes } from './locked-memory';
import type { MemoryLimits } from './memory-limits';
import { mlock, mlock2, mlockall, munlock, munlockall } from './mlock';
import { mmap } from './mmap';
import { mremap } from './mremap';
import { munmap } from './munmap';
import { testMemory } from './test-kit';
import { VM_LOCKED, VM_LOCKONFAULT } from './vma';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const USER: MemoryLimits = { memlock: 8 * K, data: Infinity, addressSpace: Infinity, ipcLock: false };
const ROOT: MemoryLimits = { memlock: 0, data: Infinity, addressSpace: Infinity, ipcLock: true };

function setup(pages = 4, prot = RW) {
  const { space } = testMemory();
  const as = space();
  const a = mmap(as, 0, pages * K, prot, PRIV, null, 0);
  return { as, a };
}

describe('mlock, munlock, mlock2 (mm/mlock.c)', () => {
  it('locks and faults the pages in, splitting and merging the VMA', () => {
    const { as, a } = setup();
    expect(mlock(as, a + K + 10, K, USER)).toBe(0); // one page from an unaligned start spans two
    expect(as.mapCount).toBe(3);
    expect(as.pt.resident).toBe(2);
    expect(lockedBytes(as)).toBe(2 * K);
    expect(as.vmas.find(a + K)!.value.flags & VM_LOCKED).toBe(VM_LOCKED);
    expect(munlock(as, a, 4 * K)).toBe(0);
    expect(as.mapCount).toBe(1);
    expect(lockedBytes(as)).toBe(0);
  });

  it('MLOCK_ONFAULT locks without faulting; other mlock2 flags are EINVAL', () => {
    const { as, a } = setup();
    expect(mlock2(as, a, K, 2, USER)).toBe(-Errno.EINVAL);
    expect(mlock2(as, a, 2 * K, MLOCK_ONFAULT, USER)).toBe(0);
    expect(as.pt.resident).toBe(0);
    expect(as.vmas.find(a)!.value.flags & (VM_LOCKED | VM_LOCKONFAULT)).toBe(VM_LOCKED | VM_LOCKONFAULT);
    expect(lockedBytes(as)).toBe(2 * K);
  });

  it('EPERM when RLIMIT_MEMLOCK is 0 and the caller lacks CAP_IPC_LOCK; privilege ignores the limit', () => {
    const { as, a } = setup();
    expect(mlock(as, a, K, { ...USER, memlock: 0 })).toBe(-Errno.EPERM);
    expect(mlock(as, a, 4 * K, ROOT)).toBe(0);
    expect(munlock(as, a, K)).toBe(0);
  });

  it('ENOMEM past RLIMIT_MEMLOCK, but locked memory in the range does not count twice', () => {
    const { as, a } = setup(12);
    expect(mlock(as, a, 9 * K, USER)).toBe(-Errno.ENOMEM);
    expect(lockedBytes(as)).toBe(0);
    expect(mlock(as, a, 8 * K, USER)).toBe(0);
    expect(mlock(as, a, 8 * K, USER)).toBe(0);
    expect(mlock(as, a + 8 * K, K, USER)).toBe(-Errno.ENOMEM);
  });

  it('ENOMEM for an unmapped start, and for a hole after locking what came before', () => {
    const { as, a } = setup(3);
    expect(munmap(as, a + K, K)).toBe(0);
    expect(mlock(as, a + K, K, USER)).toBe(-Errno.ENOMEM);
    expect(mlock(as, a, 3 * K, USER)).toBe(-Errno.ENOMEM);
    expect(lockedBytes(as)).toBe(K);
    // The pages are not faulted in when the flags could not all be applied.
    expect(as.pt.resident).toBe(0);
    expect(munlock(as, a, 3 * K)).toBe(-Errno.ENOMEM);
    expect(lockedBytes(as)).toBe(0);
  });

  it('PROT_NONE memory is locked but cannot be faulted in: ENOMEM', () => {
    const { as, a } = setup(1, PROT.PROT_NONE);
    expect(mlock(as, a, K, USER)).toBe(-Errno.ENOMEM);
    expect(lockedBytes(as)).toBe(K);
  });
});

describe('mlockall, munlockall', () => {
  it('rejects flag combinations as Linux', () => {
    const { as } = setup();
    for (const bad of [0, MCL.MCL_ONFAULT, 8, MCL.MCL_CURRENT | 8]) expect(mlockall(as, bad, USER)).toBe(-Errno.EINVAL);
    expect(mlockall(as, MCL.MCL_CURRENT, { ...USER, memlock: 0 })).toBe(-Errno.EPERM);
  });

  it('MCL_CURRENT locks and populates every VMA; ENOMEM when more is mapped than the limit', () => {
    const { as } = setup(4);
    mmap(as, 0, 2 * K, PROT.PROT_READ, PRIV, null, 0);
    expect(mlockall(as, MCL.MCL_CURRENT, { ...USER, memlock: 5 * K })).toBe(-Errno.ENOMEM);
    expect(mlockall(as, MCL.MCL_CURRENT, USER)).toBe(0);
    expect(lockedBytes(as)).toBe(6 * K);
    expect(as.pt.resident).toBe(6);
    expect(munlockall(as)).toBe(0);
    expect(lockedBytes(as)).toBe(0);
  });

  it('MCL_FUTURE locks later mappings (MCL_ONFAULT: without populating them); munlockall stops it', () => {
    const { as } = setup(1);
    expect(mlockall(as, MCL.MCL_FUTURE, USER)).toBe(0);
    expect(lockedBytes(as)).toBe(0);
    const b = mmap(as, 0, 2 * K, RW, PRIV, null, 0);
    expect(lockedBytes(as)).toBe(2 * K);
    expect(as.pt.resident).toBe(2);
    // Past RLIMIT_MEMLOCK, a locked mapping is EAGAIN.
    expect(mmap(as, 0, 7 * K, RW, PRIV, null, 0, USER)).toBe(-Errno.EAGAIN);
    expect(mlockall(as, MCL.MCL_FUTURE | MCL.MCL_ONFAULT, USER)).toBe(0);
    mmap(as, 0, K, RW, PRIV, null, 0);
    expect(as.pt.resident).toBe(2);
    expect(lockedBytes(as)).toBe(3 * K);
    expect(munlockall(as)).toBe(0);
    mmap(as, 0, K, RW, PRIV, null, 0);
    expect(lockedBytes(as)).toBe(0);
    expect(b).toBeGreaterThan(0);
  });
});

describe('MAP_LOCKED and fork', () => {
  it('MAP_LOCKED populates and locks; EPERM without the right to lock; EAGAIN past the limit', () => {
    const { space } = testMemory();
    const as = space();
    expect(mmap(as, 0, K, RW, PRIV | MAP.MAP_LOCKED, null, 0, { ...USER, memlock: 0 })).toBe(-Errno.EPERM);
    expect(mmap(as, 0, 9 * K, RW, PRIV | MAP.MAP_LOCKED, null, 0, USER)).toBe(-Errno.EAGAIN);
    const a = mmap(as, 0, 2 * K, RW, PRIV | MAP.MAP_LOCKED | MAP.MAP_NONBLOCK, null, 0, USER);
    expect(a).toBeGreaterThan(0);
    expect(as.pt.resident).toBe(2);
    expect(lockedBytes(as)).toBe(2 * K);
  });

  it('a child does not inherit memory locks', () => {
    const { as, a } = setup(2);
    mlock(as, a, 2 * K, USER);
    mlockall(as, MCL.MCL_FUTURE, USER);
    const child = forkAddressSpace(as);
    expect(lockedBytes(child)).toBe(0);
    expect(child.defFlags).toBe(0);
    expect(lockedBytes(as)).toBe(2 * K);
  });
});

describe('mremap of locked memory', () => {
  it('grows within RLIMIT_MEMLOCK with the new pages faulted in; EAGAIN past it', () => {
    const { as, a } = setup(2);
    expect(mlock(as, a, 2 * K, USER)).toBe(0);
    const grown = mremap(as, a, 2 * K, 4 * K, 1, 0, USER);
    expect(grown).toBeGreaterThan(0);
    expect(lockedBytes(as)).toBe(4 * K);
    expect(as.pt.resident).toBe(4);
    expect(mremap(as, grown, 4 * K, 9 * K, 1, 0, USER)).toBe(-Errno.EAGAIN);
  });
});
