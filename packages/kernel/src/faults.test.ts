import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno, MAP, MS, O, PROT, Signal, SYS } from '@tskern/abi';
import { FaultyHostBackend } from '@tskern/hostfs';
import { NodeHostBackend } from '@tskern/hostfs/node';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { hostFolder } from './host-folder';
import { createKernel, type Kernel } from './kernel';

const enc = new TextEncoder();
const RW = PROT.PROT_READ | PROT.PROT_WRITE;

function openAt(k: Kernel, pid: number, path: string, flags: number): number {
  const at = k.stack(pid).end - 4096;
  k.store(pid, at, enc.encode(path + '\0'));
  return k.syscall(pid, SYS.open, at, flags, 0o644);
}

function write(k: Kernel, pid: number, fd: number, text: string): number {
  const at = k.stack(pid).end - 8192;
  k.store(pid, at, enc.encode(text));
  return k.syscall(pid, SYS.write, fd, at, text.length);
}

describe('host I/O failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tskern-faults-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers EIO for a failed write-back, keeps the dirty pages, and a later msync writes them', () => {
    const backend = new FaultyHostBackend(new NodeHostBackend(dir));
    const k = createKernel({ mounts: [{ path: '/host', fs: hostFolder(dir, backend) }] });
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const fd = openAt(k, p, '/host/data', O.O_RDWR | O.O_CREAT);
    expect(k.syscall(p, SYS.ftruncate, fd, 4096)).toBe(0);
    const a = k.syscall(p, SYS.mmap, 0, 4096, RW, MAP.MAP_SHARED, fd, 0);
    expect(k.store(p, a, enc.encode('precious'))).toBe(0);
    backend.failNext('write', 1);
    expect(k.syscall(p, SYS.msync, a, 4096, MS.MS_SYNC)).toBe(-Errno.EIO);
    expect(readFileSync(join(dir, 'data')).subarray(0, 8).every((b) => b === 0)).toBe(true);
    expect(k.syscall(p, SYS.msync, a, 4096, MS.MS_SYNC)).toBe(0);
    expect(readFileSync(join(dir, 'data'), 'latin1').slice(0, 8)).toBe('precious');
    backend.failNext('fsync', 1);
    expect(write(k, p, fd, 'again')).toBe(5);
    expect(k.syscall(p, SYS.fsync, fd)).toBe(-Errno.EIO);
    expect(k.syscall(p, SYS.fsync, fd)).toBe(0);
    expect(readFileSync(join(dir, 'data'), 'latin1').slice(0, 8)).toBe('againous');
  });
});

describe('running out of frames', () => {
  it('SIGBUSes the faulting access, gives ENOSPC to a write, and keeps serving other processes', () => {
    const k = createKernel({ frames: new ArenaFrameAllocator({ frames: 64 }) });
    k.registerProgram('/bin/app', {});
    const hog = k.spawn('/bin/app');
    const other = k.spawn('/bin/app');
    const fd = openAt(k, other, '/tmpfile', O.O_RDWR | O.O_CREAT);
    expect(fd).toBeGreaterThanOrEqual(0);
    // The writer's buffer page is resident before memory runs out.
    expect(write(k, other, fd, 'x')).toBe(1);
    const bufAt = k.stack(other).end - 8192;
    const a = k.syscall(hog, SYS.mmap, 0, 128 * 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    let sig = 0;
    let touched = 0;
    while (sig === 0 && touched < 128) sig = k.fill(hog, a + 4096 * touched++, 1, 7);
    expect(sig).toBe(Signal.SIGBUS);
    // A write that needs a new page-cache page gets ENOSPC.
    expect(k.syscall(other, SYS.pwrite64, fd, bufAt, 1, 64 * 4096)).toBe(-Errno.ENOSPC);
    // The kernel goes on: metadata calls work, and memory comes back when the hog exits.
    const b = k.syscall(other, SYS.mmap, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(b).toBeGreaterThan(0);
    k.syscall(hog, SYS.exit_group, 0);
    expect(k.syscall(other, SYS.pwrite64, fd, bufAt, 1, 64 * 4096)).toBe(1);
    expect(k.fill(other, b, 4096, 1)).toBe(0);
  });
});
