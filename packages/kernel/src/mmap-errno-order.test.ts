import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { createKernel } from './kernel';

const enc = new TextEncoder();

function openAt(k: ReturnType<typeof createKernel>, pid: number, path: string, flags: number): number {
  const at = k.stack(pid).end - 4096;
  k.store(pid, at, enc.encode(path + '\0'));
  return k.syscall(pid, SYS.open, at, flags, 0);
}

// Each expectation is what Linux 6.18 x86-64 answered on the host to the
// same calls (a C program; vm.nr_hugepages = 0).
describe('mmap: /dev/zero opened read-only and MAP_HUGETLB sizes', () => {
  it('a MAP_SHARED mapping of /dev/zero opened O_RDONLY has no VM_MAYWRITE: mprotect(PROT_WRITE) is EACCES (LTP mprotect01 case 3)', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const fd = openAt(k, p, '/dev/zero', 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    const shared = k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_SHARED, fd, 0);
    expect(shared).toBeGreaterThan(0);
    expect(k.syscall(p, SYS.mprotect, shared, 4096, PROT.PROT_READ | PROT.PROT_WRITE)).toBe(-Errno.EACCES);
    const priv = k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE, fd, 0);
    expect(k.syscall(p, SYS.mprotect, priv, 4096, PROT.PROT_READ | PROT.PROT_WRITE)).toBe(0);
    expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE | MAP.MAP_HUGETLB, fd, 0)).toBe(-Errno.EINVAL);
  });

  it('anonymous MAP_HUGETLB: EINVAL for a huge page size the machine lacks, ENOMEM for one it has; every flag set is EINVAL (Open POSIX mmap 21-1)', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const anon = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_HUGETLB;
    const expected: [number, number][] = [[0, -Errno.ENOMEM], [16, -Errno.EINVAL], [21, -Errno.ENOMEM], [22, -Errno.EINVAL], [30, -Errno.ENOMEM], [63, -Errno.EINVAL]];
    for (const [log, errno] of expected) {
      expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, (anon | (log << 26)) >>> 0, -1, 0)).toBe(errno);
    }
    expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, 0xffffffff, -1, 0)).toBe(-Errno.EINVAL);
    // MAP_DROPPABLE with MAP_HUGETLB: the hugetlbfs file's do_mmap knows no such type.
    expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_ANONYMOUS | MAP.MAP_DROPPABLE | MAP.MAP_HUGETLB, -1, 0)).toBe(-Errno.EINVAL);
  });
});
