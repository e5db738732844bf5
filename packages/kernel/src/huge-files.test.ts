import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Errno, FALLOC_FL, O, SEEK, STAT, SYS } from '@tskern/abi';
import { createKernel, type Kernel } from './kernel';

/**
 * Files on tmpfs grow (sparse) to MAX_LFS_FILESIZE, 2^63 - 1, with exact
 * sizes and offsets past 2^53 (what Linux 6.18 /dev/shm answers; the
 * scenario shm/huge-sparse-file-offsets.scn holds the golden transcript).
 */
const MAX = 2n ** 63n - 1n;
const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 30);

function setup(): { k: Kernel; p: number; fd: number; buf: number } {
  const k = createKernel();
  k.registerProgram('/bin/a', {});
  const p = k.spawn('/bin/a');
  const at = k.stack(p).end - 4096;
  k.store(p, at, new TextEncoder().encode('/dev/shm/huge\0'));
  const fd = k.syscall(p, SYS.open, at, O.O_RDWR | O.O_CREAT, 0o600);
  expect(fd).toBeGreaterThanOrEqual(0);
  return { k, p, fd, buf: k.stack(p).end - 8192 };
}

/** The exact value as the kernel answers it: a number while safe, else a bigint. */
function canon(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function size(k: Kernel, p: number, fd: number): bigint {
  const st = k.stack(p).end - 16384;
  expect(k.syscall(p, SYS.fstat, fd, st)).toBe(0);
  const b = new Uint8Array(STAT.size);
  k.load(p, st, b);
  return new DataView(b.buffer).getBigInt64(STAT.st_size, true);
}

describe('files up to MAX_LFS_FILESIZE', () => {
  it('ftruncate to 2^63 - 1: exact st_size, no blocks; lseek SEEK_END and SEEK_DATA/SEEK_HOLE exact', () => {
    const { k, p, fd, buf } = setup();
    expect(k.syscall(p, SYS.ftruncate, fd, MAX)).toBe(0);
    expect(size(k, p, fd)).toBe(MAX);
    expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_END)).toBe(MAX);
    expect(k.syscallExact(p, SYS.lseek, fd, 1, SEEK.SEEK_END)).toBe(-Errno.EINVAL);
    expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_DATA)).toBe(-Errno.ENXIO);
    expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_HOLE)).toBe(0);
    k.store(p, buf, Uint8Array.of(0x78));
    expect(k.syscall(p, SYS.pwrite64, fd, buf, 1, 2n ** 62n)).toBe(1);
    expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_DATA)).toBe(2n ** 62n);
    expect(k.syscallExact(p, SYS.lseek, fd, 2n ** 62n + 1n, SEEK.SEEK_HOLE)).toBe(2n ** 62n + 4096n);
    expect(k.syscallExact(p, SYS.lseek, fd, 2n ** 62n + 4096n, SEEK.SEEK_DATA)).toBe(-Errno.ENXIO);
    // kernel.syscall gives the nearest number; syscallExact the value.
    expect(k.syscall(p, SYS.lseek, fd, MAX, SEEK.SEEK_SET)).toBe(2 ** 63);
    expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_CUR)).toBe(MAX);
    expect(k.syscall(p, SYS.lseek, fd, 1, SEEK.SEEK_CUR)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.lseek, fd, 2n ** 63n, SEEK.SEEK_SET)).toBe(-Errno.EINVAL);
    // truncate(2) by path takes the same exact lengths.
    const path = k.stack(p).end - 4096;
    expect(k.syscall(p, SYS.truncate, path, 2n ** 53n + 1n)).toBe(0);
    expect(size(k, p, fd)).toBe(2n ** 53n + 1n);
    expect(k.syscall(p, SYS.truncate, path, 2n ** 63n)).toBe(-Errno.EINVAL);
  });

  it('a transfer whose end passes 2^63 - 1 is EINVAL (rw_verify_area), not EFBIG', () => {
    const { k, p, fd, buf } = setup();
    expect(k.syscall(p, SYS.pwrite64, fd, buf, 1, MAX)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.pwrite64, fd, buf, 2, MAX - 1n)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.pread64, fd, buf, 2, MAX - 1n)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.pread64, fd, buf, 0, MAX)).toBe(0);
    expect(k.syscall(p, SYS.pwrite64, fd, buf, 2, MAX - 2n)).toBe(2);
    expect(size(k, p, fd)).toBe(MAX);
    expect(k.syscallExact(p, SYS.lseek, fd, MAX, SEEK.SEEK_SET)).toBe(MAX);
    expect(k.syscall(p, SYS.write, fd, buf, 1)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.read, fd, buf, 1)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.read, fd, buf, 0)).toBe(0);
  });

  it("mem.c's devices ignore a position past 2^53: /dev/zero reads zeros, /dev/null takes the write (Linux 6.18)", () => {
    const { k, p, buf } = setup();
    const path = k.stack(p).end - 4096;
    k.store(p, path, new TextEncoder().encode('/dev/zero\0'));
    const zero = k.syscall(p, SYS.open, path, O.O_RDWR);
    k.store(p, path, new TextEncoder().encode('/dev/null\0'));
    const nul = k.syscall(p, SYS.open, path, O.O_RDWR);
    k.store(p, buf, Uint8Array.of(1, 1, 1, 1));
    expect(k.syscall(p, SYS.pread64, zero, buf, 4, 2n ** 62n)).toBe(4);
    const got = new Uint8Array(4);
    k.load(p, buf, got);
    expect(got).toEqual(new Uint8Array(4));
    expect(k.syscall(p, SYS.pwrite64, nul, buf, 4, 2n ** 62n)).toBe(4);
    expect(k.syscall(p, SYS.pread64, zero, buf, 2, MAX - 1n)).toBe(-Errno.EINVAL);
  });

  it('fallocate: offset + len past 2^63 - 1 is EFBIG; up to it, fine (Linux 6.18 tmpfs)', () => {
    const { k, p, fd } = setup();
    const keep = FALLOC_FL.FALLOC_FL_KEEP_SIZE;
    expect(k.syscall(p, SYS.fallocate, fd, keep, MAX - 4095n, 4096)).toBe(-Errno.EFBIG);
    expect(k.syscall(p, SYS.fallocate, fd, keep, MAX - 4095n, 4095)).toBe(0);
    expect(size(k, p, fd)).toBe(0n);
    expect(k.syscall(p, SYS.fallocate, fd, 0, 2n ** 62n, 4096)).toBe(0);
    expect(size(k, p, fd)).toBe(2n ** 62n + 4096n);
    expect(k.syscall(p, SYS.fallocate, fd, keep | FALLOC_FL.FALLOC_FL_PUNCH_HOLE, 2n ** 62n, 4096)).toBe(0);
    expect(size(k, p, fd)).toBe(2n ** 62n + 4096n);
  });

  it('data written at random offsets near 2^53, 2^62 and 2^63 - 1 reads back at the same exact offsets', () => {
    const near = fc.oneof(
      ...[2n ** 53n, 2n ** 62n, MAX - 64n].map((c) => fc.bigInt({ min: -9000n, max: 64n }).map((d) => c + d)),
    );
    fc.assert(
      fc.property(near, fc.uint8Array({ minLength: 1, maxLength: 64 }), (off, data) => {
        const { k, p, fd, buf } = setup();
        k.store(p, buf, data);
        const end = off + BigInt(data.length);
        const w = k.syscall(p, SYS.pwrite64, fd, buf, data.length, off);
        if (end > MAX) {
          expect(w).toBe(-Errno.EINVAL);
          return;
        }
        expect(w).toBe(data.length);
        expect(size(k, p, fd)).toBe(end);
        // One byte more than written, unless that would end past 2^63 - 1 (EINVAL).
        const ask = end < MAX ? data.length + 1 : data.length;
        const back = new Uint8Array(ask);
        expect(k.syscall(p, SYS.pread64, fd, buf + 128, ask, off)).toBe(data.length);
        if (end === MAX) expect(k.syscall(p, SYS.pread64, fd, buf + 128, ask + 1, off)).toBe(-Errno.EINVAL);
        k.load(p, buf + 128, back);
        expect(back.subarray(0, data.length)).toEqual(data);
        expect(k.syscallExact(p, SYS.lseek, fd, off, SEEK.SEEK_SET)).toBe(canon(off));
        expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_DATA)).toBe(canon((off / 4096n) * 4096n));
        expect(k.syscallExact(p, SYS.lseek, fd, 0, SEEK.SEEK_END)).toBe(canon(end));
      }),
      { numRuns: runs },
    );
  });
});
