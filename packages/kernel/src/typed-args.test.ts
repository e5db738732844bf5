import { describe, expect, it } from 'vitest';
import { Errno, MAP, O, PROT, SEEK, STAT, SYS } from '@tskern/abi';
import { createKernel, type Kernel } from './kernel';

/** Exact 64-bit arguments through the runtime interface, as numbers and as BigInts. */
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

function setup(): { k: Kernel; p: number; fd: number; buf: number } {
  const k = createKernel();
  k.registerProgram('/bin/a', {});
  const p = k.spawn('/bin/a');
  const at = k.stack(p).end - 4096;
  k.store(p, at, new TextEncoder().encode('/f\0'));
  const fd = k.syscall(p, SYS.open, at, O.O_RDWR | O.O_CREAT, 0o644);
  return { k, p, fd, buf: k.stack(p).end - 8192 };
}

function size(k: Kernel, p: number, fd: number): number {
  const st = k.stack(p).end - 16384;
  expect(k.syscall(p, SYS.fstat, fd, st)).toBe(0);
  const b = new Uint8Array(STAT.size);
  k.load(p, st, b);
  return Number(new DataView(b.buffer).getBigInt64(STAT.st_size, true));
}

describe('64-bit arguments through kernel.syscall', () => {
  it('munmap(2^64 - 1, 1) is EINVAL and mmap(0, 2^62) ENOMEM, as BigInt and as number', () => {
    const { k, p } = setup();
    expect(k.syscall(p, SYS.munmap, 2n ** 64n - 1n, 1)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.munmap, -1, 1)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.mmap, 0, 2n ** 62n, RW, ANON, -1, 0)).toBe(-Errno.ENOMEM);
    expect(k.syscall(p, SYS.mmap, 0, 2 ** 62, RW, ANON, -1, 0)).toBe(-Errno.ENOMEM);
    // 2^64 + 4096 is 4096 modulo 2^64: a BigInt register keeps 64 bits.
    const a = k.syscall(p, SYS.mmap, 0, 2n ** 64n + 4096n, RW, ANON, -1n, 0n);
    expect(a).toBeGreaterThan(0);
    expect(k.syscall(p, SYS.munmap, BigInt(a), 4096n)).toBe(0);
  });

  it('offsets of 2^63 or more are negative loff_t: EINVAL for ftruncate, pread64 and pwrite64', () => {
    const { k, p, fd, buf } = setup();
    for (const off of [2n ** 63n, 2n ** 64n - 1n, 2 ** 63, 2 ** 64 - 4096]) {
      expect(k.syscall(p, SYS.ftruncate, fd, off)).toBe(-Errno.EINVAL);
      expect(k.syscall(p, SYS.pread64, fd, buf, 1, off)).toBe(-Errno.EINVAL);
      expect(k.syscall(p, SYS.pwrite64, fd, buf, 1, off)).toBe(-Errno.EINVAL);
    }
    expect(k.syscall(p, SYS.ftruncate, fd, 2n ** 40n)).toBe(0);
    expect(size(k, p, fd)).toBe(2 ** 40);
  });

  it('a fractional, NaN or infinite argument never throws and never leaves a fractional size or offset', () => {
    const { k, p, fd, buf } = setup();
    expect(k.syscall(p, SYS.ftruncate, fd, 1000.7)).toBe(0);
    expect(size(k, p, fd)).toBe(1000);
    expect(k.syscall(p, SYS.ftruncate, fd, Number.NaN)).toBe(0);
    expect(size(k, p, fd)).toBe(0);
    expect(k.syscall(p, SYS.ftruncate, fd, Number.POSITIVE_INFINITY)).toBe(0);
    expect(size(k, p, fd)).toBe(0);
    expect(k.syscall(p, SYS.lseek, fd, 10.5, SEEK.SEEK_SET)).toBe(10);
    expect(k.syscall(p, SYS.lseek, fd, 0, SEEK.SEEK_CUR)).toBe(10);
    expect(k.syscall(p, SYS.pwrite64, fd, buf, 3.9, 5.5)).toBe(3);
    expect(size(k, p, fd)).toBe(8);
    expect(k.syscall(p, SYS.write, fd + 0.25, buf, Number.NaN)).toBe(0);
    expect(k.syscall(p, SYS.lseek, fd, Number.NEGATIVE_INFINITY, SEEK.SEEK_CUR)).toBe(10);
    for (const x of [0.5, -0.5, Number.NaN, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 2]) {
      for (const nr of [SYS.mmap, SYS.munmap, SYS.mprotect, SYS.read, SYS.lseek, SYS.ftruncate, SYS.getcwd]) {
        const r = k.syscall(p, nr, x, x, x, x, x, x);
        expect(Number.isInteger(r)).toBe(true);
      }
    }
    expect(Number.isInteger(size(k, p, fd))).toBe(true);
  });

  it('int arguments keep their low 32 bits, as a BigInt too', () => {
    const { k, p, fd } = setup();
    expect(k.syscall(p, SYS.fcntl, BigInt(fd) + 2n ** 32n, 1 /* F_GETFD */)).toBe(0);
    expect(k.syscall(p, SYS.close, 2n ** 32n + BigInt(fd))).toBe(0);
    expect(k.syscall(p, SYS.close, fd)).toBe(-Errno.EBADF);
  });
});
