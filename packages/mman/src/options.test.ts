import { Errno, MAP, PROT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { forkAddressSpace } from './fork';
import { mmap } from './mmap';
import { AddressSpace } from './address-space';
import { testMemory } from './test-kit';

const K = 4096;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

describe('MemoryTunables (vm.max_map_count, vm.mmap_min_addr)', () => {
  it('reach every address space at once, forks and copies of the options included', () => {
    const { options, space } = testMemory();
    const as = space();
    const child = forkAddressSpace(as);
    const execed = new AddressSpace({ ...options, taskSize: options.taskSize });
    for (const s of [as, child, execed]) {
      expect(mmap(s, 0, K, PROT.PROT_READ, PRIV, null, 0)).toBeGreaterThan(0);
      expect(mmap(s, 0, K, PROT.PROT_READ | PROT.PROT_WRITE, PRIV, null, 0)).toBeGreaterThan(0);
    }
    // do_mmap: ENOMEM once map_count > sysctl_max_map_count.
    options.tunables.maxMapCount = 1;
    for (const s of [as, child, execed]) expect(mmap(s, 0, K, PROT.PROT_READ, PRIV, null, 0)).toBe(-Errno.ENOMEM);
    options.tunables.maxMapCount = 65530;
    expect(mmap(as, 0, K, PROT.PROT_READ, PRIV, null, 0)).toBeGreaterThan(0);
  });

  it('refuse a fixed mapping below a raised mmap_min_addr (EPERM) and place hints above it', () => {
    const { options, space } = testMemory();
    const as = space();
    options.tunables.mmapMinAddr = 0x10000;
    expect(mmap(as, 0x8000, K, PROT.PROT_READ, PRIV | MAP.MAP_FIXED, null, 0)).toBe(-Errno.EPERM);
    expect(mmap(as, 0x10000, K, PROT.PROT_READ, PRIV | MAP.MAP_FIXED, null, 0)).toBe(0x10000);
    expect(mmap(as, 0x8000, K, PROT.PROT_READ, PRIV, null, 0)).toBeGreaterThanOrEqual(0x10000);
    options.tunables.mmapMinAddr = 4096;
    expect(mmap(as, 0x8000, K, PROT.PROT_READ, PRIV | MAP.MAP_FIXED, null, 0)).toBe(0x8000);
  });
});
