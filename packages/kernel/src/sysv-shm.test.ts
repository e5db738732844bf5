import { describe, expect, it } from 'vitest';
import { IPC, SYS, SYS_RISCV64 } from '@tskern/abi';
import { createKernel } from './kernel';
import { readProcessFile } from './testing/read-file';

const enc = new TextEncoder();
const dec = new TextDecoder();
const KEY = 0x5eed;

/** shm_nattch, shm_lpid, shm_atime and the mode of `id` by IPC_STAT, with the buffer on `pid`'s stack. */
function stat(k: ReturnType<typeof createKernel>, pid: number, id: number) {
  const at = k.stack(pid).end - 8192;
  const r = k.syscall(pid, SYS.shmctl, id, IPC.IPC_STAT, at);
  if (r < 0) return r;
  const b = new Uint8Array(112);
  k.load(pid, at, b);
  const v = new DataView(b.buffer);
  return { nattch: Number(v.getBigUint64(88, true)), lpid: v.getInt32(84, true), atime: Number(v.getBigInt64(56, true)), mode: v.getUint32(20, true) };
}

function read(k: ReturnType<typeof createKernel>, pid: number, addr: number, n: number): string {
  const b = new Uint8Array(n);
  expect(k.load(pid, addr, b)).toBe(0);
  return dec.decode(b);
}

describe('System V shared memory on the kernel', () => {
  it('two processes attaching one keyed segment see each other\'s stores, through one page cache', () => {
    const k = createKernel({ clock: 'virtual' });
    k.registerProgram('/bin/app', {});
    const a = k.spawn('/bin/app');
    const b = k.spawn('/bin/app');
    const id = k.syscall(a, SYS.shmget, KEY, 6000, IPC.IPC_CREAT | 0o600);
    expect(k.syscall(b, SYS.shmget, KEY, 0, 0)).toBe(id);
    const pa = k.syscall(a, SYS.shmat, id, 0, 0);
    const pb = k.syscall(b, SYS.shmat, id, 0, 0);
    expect(k.store(a, pa + 5000, enc.encode('from a'))).toBe(0);
    expect(read(k, b, pb + 5000, 6)).toBe('from a');
    expect(k.store(b, pb, enc.encode('from b'))).toBe(0);
    expect(read(k, a, pa, 6)).toBe('from b');
    expect(stat(k, a, id)).toMatchObject({ nattch: 2, lpid: b, atime: Number(k.clock.realtimeNs() / 1_000_000_000n) });
    // maps names the attach as Linux does: the key in hex, a deleted file on 00:01 whose inode number is the id.
    const line = readProcessFile(k, a, '/proc/self/maps', 1000).split('\n').find((l) => l.startsWith(pa.toString(16)));
    expect(line).toMatch(new RegExp(`^${pa.toString(16)}-${(pa + 8192).toString(16)} rw-s 00000000 00:01 ${id} +/SYSV00005eed \\(deleted\\)$`));
    const t = Number(k.clock.realtimeNs() / 1_000_000_000n);
    const proc = readProcessFile(k, a, '/proc/sysvipc/shm', 1000).split('\n');
    expect(proc[1]).toBe(`     24301 ${String(id).padStart(10)}   600 ${'6000'.padStart(21)} ${String(a).padStart(5)} ${String(b).padStart(5)}      2     0     0     0     0 ${t} ${'0'.padStart(10)} ${t} ${'8192'.padStart(21)} ${'0'.padStart(21)}`);
    expect(k.syscall(a, SYS.shmdt, pa)).toBe(0);
    expect(stat(k, b, id)).toMatchObject({ nattch: 1, lpid: a });
  });

  it('fork inherits attaches, exit and execve detach them, and IPC_RMID frees the pages with the last one', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    k.fill(p, k.stack(p).end - 8192, 112, 0); // the stack page stat() uses
    const before = k.framesInUse();
    const id = k.syscall(p, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o600);
    const addr = k.syscall(p, SYS.shmat, id, 0, 0);
    expect(k.store(p, addr, enc.encode('parent'))).toBe(0);
    const c = k.syscall(p, SYS.fork);
    expect(stat(k, p, id)).toMatchObject({ nattch: 2 });
    expect(read(k, c, addr, 6)).toBe('parent');
    expect(k.store(c, addr, enc.encode('child!'))).toBe(0);
    expect(read(k, p, addr, 6)).toBe('child!'); // the same segment, not a copy
    const c2 = k.syscall(p, SYS.fork);
    expect(stat(k, p, id)).toMatchObject({ nattch: 3 });
    const { end } = k.stack(c2);
    k.store(c2, end - 512, enc.encode('/bin/app\0'));
    expect(k.syscall(c2, SYS.execve, end - 512, 0, 0)).toBe(0);
    expect(stat(k, p, id)).toMatchObject({ nattch: 2 });
    k.syscall(c, SYS.exit_group, 0);
    k.syscall(p, SYS.wait4, c, 0, 0, 0);
    expect(stat(k, p, id)).toMatchObject({ nattch: 1, lpid: c }); // the exiting child closed last, as on the host
    expect(k.syscall(p, SYS.shmctl, id, IPC.IPC_RMID, 0)).toBe(0);
    expect(stat(k, p, id)).toMatchObject({ nattch: 1, mode: 0o1600 });
    expect(read(k, p, addr, 6)).toBe('child!');
    k.syscall(c2, SYS.exit_group, 0);
    k.syscall(p, SYS.wait4, c2, 0, 0, 0);
    expect(k.syscall(p, SYS.shmdt, addr)).toBe(0);
    expect(stat(k, p, id)).toBe(-22); // destroyed: EINVAL
    expect(k.framesInUse()).toBe(before);
  });

  it('serves riscv64 processes by the asm-generic numbers, in the same namespace', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const x = k.spawn('/bin/app');
    const r = k.spawn('/bin/app', { arch: 'riscv64' });
    expect([SYS_RISCV64.shmget, SYS_RISCV64.shmctl, SYS_RISCV64.shmat, SYS_RISCV64.shmdt]).toEqual([194, 195, 196, 197]);
    const id = k.syscall(r, SYS_RISCV64.shmget, KEY, 4096, IPC.IPC_CREAT | 0o600);
    expect(k.syscall(x, SYS.shmget, KEY, 4096, 0)).toBe(id);
    const pr = k.syscall(r, SYS_RISCV64.shmat, id, 0, 0);
    const px = k.syscall(x, SYS.shmat, id, 0, 0);
    expect(k.store(r, pr, enc.encode('rv64'))).toBe(0);
    expect(read(k, x, px, 4)).toBe('rv64');
    const at = k.stack(r).end - 8192;
    expect(k.syscall(r, SYS_RISCV64.shmctl, id, IPC.IPC_STAT, at)).toBe(0);
    const b = new Uint8Array(112);
    k.load(r, at, b);
    expect(Number(new DataView(b.buffer).getBigUint64(88, true))).toBe(2); // shm_nattch at the same offset
    expect(k.syscall(r, SYS_RISCV64.shmdt, pr)).toBe(0);
  });
});
