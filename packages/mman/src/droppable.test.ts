import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT } from '@tskern/abi';
import { forkAddressSpace } from './fork';
import { lockedBytes } from './locked-memory';
import type { MemoryLimits } from './memory-limits';
import { mlock } from './mlock';
import { mmap } from './mmap';
import { peek, poke, testMemory } from './test-kit';
import { VM_DONTDUMP, VM_DROPPABLE, VM_NORESERVE, VM_WIPEONFORK } from './vma';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const DROP = MAP.MAP_ANONYMOUS | MAP.MAP_DROPPABLE;
const K = 4096;
const ROOT: MemoryLimits = { memlock: 0, data: Infinity, addressSpace: Infinity, ipcLock: true };

// Host Linux 6.18 (probe): MAP_DROPPABLE maps; with MAP_LOCKED, MAP_HUGETLB or
// MAP_GROWSDOWN it is EINVAL; smaps shows "nr wf dd dp"; mlock succeeds and
// VmLck stays 0; a forked child reads zeros.
describe('MAP_DROPPABLE', () => {
  it('is private anonymous memory that is not reserved, not inherited and not dumped', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, K, RW, DROP, null, 0);
    expect(a).toBeGreaterThan(0);
    const flags = as.vmas.find(a)!.value.flags;
    for (const f of [VM_DROPPABLE, VM_NORESERVE, VM_WIPEONFORK, VM_DONTDUMP]) expect(flags & f).toBe(f);
    poke(as, a, 'x');
    const child = forkAddressSpace(as);
    expect(peek(child, a, 1)).toBe('\0');
    expect(peek(as, a, 1)).toBe('x');
  });

  it('refuses MAP_LOCKED, MAP_HUGETLB and MAP_GROWSDOWN (EINVAL)', () => {
    const { space } = testMemory();
    const as = space();
    for (const extra of [MAP.MAP_LOCKED, MAP.MAP_HUGETLB, MAP.MAP_GROWSDOWN]) {
      expect(mmap(as, 0, K, RW, DROP | extra, null, 0, ROOT)).toBe(-Errno.EINVAL);
    }
  });

  it('mlock succeeds over it but locks nothing', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, K, RW, DROP, null, 0);
    expect(mlock(as, a, K, ROOT)).toBe(0);
    expect(lockedBytes(as)).toBe(0);
  });
});
