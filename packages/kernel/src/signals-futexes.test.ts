import { describe, expect, it } from 'vitest';
import { Errno, MAP, O, PROT, SYS } from '@tskern/abi';
import { FUTEX } from '@tskern/futex';
import { SIG } from '@tskern/signal';
import { createKernel, type Kernel } from './index';
import { encodeCString } from '@tskern/test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;

function cstr(k: Kernel, pid: number, s: string, at: number): number {
  expect(k.store(pid, at, encodeCString(s))).toBe(0);
  return at;
}

/** `/dev/shm/name` opened (created) and mapped shared, after `shift` private pages so addresses differ. */
function mapShm(k: Kernel, pid: number, shift: number): number {
  const path = cstr(k, pid, '/dev/shm/futex-seg', k.stack(pid).end - 4096);
  const fd = k.syscall(pid, SYS.open, path, O.O_RDWR | O.O_CREAT, 0o600);
  expect(fd).toBeGreaterThanOrEqual(0);
  expect(k.syscall(pid, SYS.ftruncate, fd, K)).toBe(0);
  if (shift > 0) k.syscall(pid, SYS.mmap, 0, shift * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  const addr = k.syscall(pid, SYS.mmap, 0, K, RW, MAP.MAP_SHARED, fd, 0);
  expect(addr).toBeGreaterThan(0);
  return addr;
}

describe('futexes and signals through the kernel', () => {
  it('two processes mapping one /dev/shm object at different addresses meet on one futex', () => {
    const k = createKernel();
    k.registerProgram('/bin/p', {});
    const a = k.spawn('/bin/p');
    const b = k.spawn('/bin/p');
    const pa = mapShm(k, a, 0);
    const pb = mapShm(k, b, 5);
    expect(pa).not.toBe(pb);
    const wait = k.callOrBlock(a, SYS.futex, pa + 64, FUTEX.FUTEX_WAIT, 0, 0, 0, 0);
    expect(typeof wait).toBe('object');
    expect(k.syscall(b, SYS.futex, pb + 64, FUTEX.FUTEX_WAKE | FUTEX.FUTEX_PRIVATE_FLAG, 1, 0, 0, 0)).toBe(0);
    expect(k.syscall(b, SYS.futex, pb + 64, FUTEX.FUTEX_WAKE, 1, 0, 0, 0)).toBe(1);
    expect(typeof wait === 'object' && wait.retry()).toBe(0);
  });

  it('kill with a default-terminating signal ends the child; wait4 reports it; the parent gets SIGCHLD info', () => {
    const k = createKernel();
    k.registerProgram('/bin/p', {});
    const p = k.spawn('/bin/p');
    const child = k.syscall(p, SYS.fork);
    expect(k.syscall(p, SYS.kill, child, SIG.SIGKILL)).toBe(0);
    expect(k.isAlive(child)).toBe(false);
    const status = k.stack(p).end - 64;
    expect(k.syscall(p, SYS.wait4, child, status, 0, 0)).toBe(child);
    const word = new Uint8Array(4);
    k.load(p, status, word);
    expect(new DataView(word.buffer).getInt32(0, true)).toBe(SIG.SIGKILL);
    expect(k.syscall(p, SYS.kill, child, 0)).toBe(-Errno.ESRCH);
  });
});
