import { describe, expect, it } from 'vitest';
import { CAP, CAP_FULL_SET, capBit, Errno } from '@tskern/abi';
import { MemoryTunables } from '@tskern/mman';
import { Credentials } from '@tskern/vfs';
import { vmSysctls } from './vm-sysctls';

function entry(tunables: MemoryTunables, path: string) {
  const e = vmSysctls(() => tunables).find((x) => x.path === path);
  if (e === undefined) throw new Error(path);
  return e;
}

describe('vm sysctls over MemoryTunables', () => {
  it('write vm.mmap_min_addr through to the tunable and read back every bit of an unsigned long', () => {
    const t = new MemoryTunables();
    const e = entry(t, 'vm/mmap_min_addr');
    if (e.value.kind !== 'ulong' || e.value.set === undefined) throw new Error('kind');
    expect(e.value.get()).toBe(4096n); // host Linux 6.18's default
    const huge = (1n << 64n) - 1n;
    expect(e.value.set(huge, Credentials.root())).toBe(0);
    expect(e.value.get()).toBe(huge);
    expect(t.mmapMinAddr).toBe(Number(huge));
    // Changed behind the file's back (a kernel option): the file shows the tunable.
    t.mmapMinAddr = 65536;
    expect(e.value.get()).toBe(65536n);
  });

  it('refuse vm.mmap_min_addr to a writer without CAP_SYS_RAWIO (host: EPERM) and max_map_count below 0 (EINVAL)', () => {
    const t = new MemoryTunables();
    const noRawIo = Credentials.root().withCaps({ effective: CAP_FULL_SET & ~capBit(CAP.CAP_SYS_RAWIO) });
    const min = entry(t, 'vm/mmap_min_addr').value;
    if (min.kind !== 'ulong' || min.set === undefined) throw new Error('kind');
    expect(min.set(8192n, noRawIo)).toBe(-Errno.EPERM);
    expect(t.mmapMinAddr).toBe(4096);
    const count = entry(t, 'vm/max_map_count').value;
    if (count.kind !== 'int' || count.set === undefined) throw new Error('kind');
    expect(count.set(-1, noRawIo)).toBe(-Errno.EINVAL);
    expect(count.set(0, noRawIo)).toBe(0);
    expect(t.maxMapCount).toBe(0);
  });

  it('serve overcommit_memory read-only as mode 1', () => {
    const e = entry(new MemoryTunables(), 'vm/overcommit_memory');
    expect([e.perm, e.value.kind, e.value.set, e.value.get()]).toEqual([0o444, 'int', undefined, 1]);
  });
});
