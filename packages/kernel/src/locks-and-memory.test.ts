import { F_LOCK, FLOCK_STRUCT, LOCK_TYPE, MAP, MCL, PROT, SEEK, SYS, O } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { createKernel } from './index';

const K = 4096;

function readFile(k: ReturnType<typeof createKernel>, pid: number, path: string, scratch: number): string {
  k.store(pid, scratch, new TextEncoder().encode(path + '\0'));
  const fd = k.syscall(pid, SYS.open, scratch, O.O_RDONLY, 0) as number;
  const n = k.syscall(pid, SYS.read, fd, scratch + 256, 2048) as number;
  k.syscall(pid, SYS.close, fd);
  const out = new Uint8Array(n);
  k.load(pid, scratch + 256, out);
  return new TextDecoder().decode(out);
}

describe('the kernel wires file locks, the heap and memory locks', () => {
  it('VmLck in /proc/<pid>/status follows mlock; [heap] shows in maps', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const pid = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
    const scratch = k.syscall(pid, SYS.mmap, 0, 4 * K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0) as number;
    // mlockall(MCL_CURRENT) would need RLIMIT_MEMLOCK (8 MiB) to cover the 8 MiB stack too: ENOMEM.
    expect(k.syscall(pid, SYS.mlockall, MCL.MCL_CURRENT)).toBe(-12);
    expect(k.syscall(pid, SYS.mlock, scratch, 2 * K)).toBe(0);
    expect(readFile(k, pid, '/proc/self/status', scratch)).toContain('\nVmLck:\t       8 kB\n');
    expect(k.syscall(pid, SYS.munlockall)).toBe(0);
    expect(readFile(k, pid, '/proc/self/status', scratch)).toContain('\nVmLck:\t       0 kB\n');
    const heap = k.syscall(pid, SYS.brk, 0) as number;
    expect(k.syscall(pid, SYS.brk, heap + 2 * K)).toBe(heap + 2 * K);
    expect(readFile(k, pid, '/proc/self/maps', scratch)).toContain('[heap]');
  });

  it('a child blocked in F_SETLKW gets the lock when the parent exits', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const pid = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
    const mem = k.syscall(pid, SYS.mmap, 0, K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0) as number;
    k.store(pid, mem, new TextEncoder().encode('/dev/shm/lockfile\0'));
    const fd = k.syscall(pid, SYS.open, mem, O.O_CREAT | O.O_RDWR, 0o644) as number;
    const lock = new DataView(new ArrayBuffer(FLOCK_STRUCT.size));
    lock.setInt16(FLOCK_STRUCT.l_type, LOCK_TYPE.F_WRLCK, true);
    lock.setInt16(FLOCK_STRUCT.l_whence, SEEK.SEEK_SET, true);
    k.store(pid, mem + 64, new Uint8Array(lock.buffer));
    expect(k.syscall(pid, SYS.fcntl, fd, F_LOCK.F_SETLK, mem + 64)).toBe(0);
    const child = k.syscall(pid, SYS.fork) as number;
    // Locks are not inherited: the child's request waits for the parent's.
    expect(k.syscall(child, SYS.fcntl, fd, F_LOCK.F_SETLK, mem + 64)).toBe(-11);
    const block = k.callOrBlock(child, SYS.fcntl, fd, F_LOCK.F_SETLKW, mem + 64);
    if (typeof block !== 'object') throw new Error(`expected a Block, got ${block}`);
    expect(block.retry()).toBe(block);
    k.syscall(pid, SYS.exit_group, 0);
    expect(block.retry()).toBe(0);
  });
});
