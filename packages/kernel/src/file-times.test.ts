import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAP, MS, O, PROT, STAT, SYS, UTIME } from '@tskern/abi';
import { NodeHostBackend } from '@tskern/hostfs/node';
import { hostFolder } from './host-folder';
import { createKernel, type Kernel } from './kernel';

// The time rules of mapped tmpfs files, as seen on Linux 6.18 /dev/shm with a
// C program: mmap moves the access time (file_accessed, relatime); the first
// write fault of a page of a MAP_SHARED mapping moves the modification and
// change times (fault_dirty_shared_page, tmpfs having no page_mkwrite); later
// stores to that page and msync move nothing.

const enc = new TextEncoder();
const RW = PROT.PROT_READ | PROT.PROT_WRITE;

function setup(k: Kernel = createKernel(), path = '/dev/shm/f'): { k: Kernel; p: number; fd: number; scratch: number } {
  k.registerProgram('/bin/app', {});
  const p = k.spawn('/bin/app');
  const scratch = k.stack(p).end - 8192;
  k.store(p, scratch, enc.encode(path + '\0'));
  const fd = k.syscall(p, SYS.open, scratch, O.O_RDWR | O.O_CREAT, 0o644);
  expect(fd).toBeGreaterThanOrEqual(0);
  return { k, p, fd, scratch };
}

/** Set the access and modification times to whole seconds (the change time becomes now); `mtimeNsec` may be UTIME_OMIT. */
function setTimes(k: Kernel, p: number, fd: number, scratch: number, atime: number, mtime: number, mtimeNsec = 0): void {
  const b = new DataView(new ArrayBuffer(32));
  b.setBigInt64(0, BigInt(atime), true);
  b.setBigInt64(16, BigInt(mtime), true);
  b.setBigInt64(24, BigInt(mtimeNsec), true);
  k.store(p, scratch + 64, new Uint8Array(b.buffer));
  expect(k.syscall(p, SYS.utimensat, fd, 0, scratch + 64, 0)).toBe(0);
}

/** [atime, mtime] in seconds, from fstat. */
function times(k: Kernel, p: number, fd: number, scratch: number): [number, number] {
  const at = scratch + 128;
  expect(k.syscall(p, SYS.fstat, fd, at)).toBe(0);
  const b = new Uint8Array(STAT.size);
  k.load(p, at, b);
  const v = new DataView(b.buffer);
  return [Number(v.getBigInt64(STAT.st_atime, true)), Number(v.getBigInt64(STAT.st_mtime, true))];
}

describe('times of mapped tmpfs files', () => {
  it('mmap moves the access time by relatime; a failed mmap does not', () => {
    const { k, p, fd, scratch } = setup();
    expect(k.syscall(p, SYS.ftruncate, fd, 4096)).toBe(0);
    setTimes(k, p, fd, scratch, 100, 200);
    expect(k.syscall(p, SYS.mmap, 0, 0, PROT.PROT_READ, MAP.MAP_PRIVATE, fd, 0)).toBeLessThan(0);
    expect(times(k, p, fd, scratch)).toEqual([100, 200]);
    expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE, fd, 0)).toBeGreaterThan(0);
    expect(times(k, p, fd, scratch)[0]).toBeGreaterThan(1_000_000_000); // atime <= mtime: now
    setTimes(k, p, fd, scratch, 300, 200);
    // atime newer than mtime but older than ctime (now): still refreshed.
    expect(k.syscall(p, SYS.mmap, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE, fd, 0)).toBeGreaterThan(0);
    expect(times(k, p, fd, scratch)[0]).toBeGreaterThan(1_000_000_000);
  });

  it('the first store to a page of a shared mapping moves mtime; stores after it and msync do not', () => {
    const { k, p, fd, scratch } = setup();
    expect(k.syscall(p, SYS.ftruncate, fd, 3 * 4096)).toBe(0);
    const a = k.syscall(p, SYS.mmap, 0, 3 * 4096, RW, MAP.MAP_SHARED, fd, 0);
    expect(a).toBeGreaterThan(0);
    setTimes(k, p, fd, scratch, 100, 200);
    expect(k.load(p, a, new Uint8Array(1))).toBe(0); // a read fault maps the page writable
    expect(k.store(p, a, enc.encode('x'))).toBe(0);
    expect(times(k, p, fd, scratch)[1]).toBe(200);
    expect(k.store(p, a + 4096, enc.encode('y'))).toBe(0); // a write fault
    expect(times(k, p, fd, scratch)[1]).toBeGreaterThan(1_000_000_000);
    setTimes(k, p, fd, scratch, 100, 200);
    expect(k.store(p, a + 4097, enc.encode('z'))).toBe(0);
    expect(k.syscall(p, SYS.msync, a, 3 * 4096, MS.MS_SYNC)).toBe(0);
    expect(times(k, p, fd, scratch)[1]).toBe(200);
  });
});

describe('utimensat on hostfs', () => {
  it('sets the host file\'s times; UTIME_OMIT keeps the host\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tskern-times-'));
    try {
      const k = createKernel({ mounts: [{ path: '/host', fs: hostFolder(dir, new NodeHostBackend(dir)) }] });
      const { p, fd, scratch } = setup(k, '/host/f');
      setTimes(k, p, fd, scratch, 100, 200);
      expect([statSync(join(dir, 'f')).atimeMs, statSync(join(dir, 'f')).mtimeMs]).toEqual([100_000, 200_000]);
      expect(times(k, p, fd, scratch)).toEqual([100, 200]);
      setTimes(k, p, fd, scratch, 300, 0, UTIME.UTIME_OMIT);
      expect([statSync(join(dir, 'f')).atimeMs, statSync(join(dir, 'f')).mtimeMs]).toEqual([300_000, 200_000]);
      expect(times(k, p, fd, scratch)).toEqual([300, 200]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
