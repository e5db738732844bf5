import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAP, O, PROT, SYS } from '@tskern/abi';
import { ChunkedFrameAllocator } from '@tskern/pagealloc';
import { nodeHostFolder } from './node';
import { createKernel } from './kernel';

/** The README's "assemble a custom kernel" example, run as written. */
describe('a custom kernel assembly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tskern-readme-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses another frame allocator and a host folder mounted with hostfs', () => {
    // --- as in README.md ---
    const kernel = createKernel({
      frames: new ChunkedFrameAllocator({ chunkFrames: 256 }),
      mounts: [{ path: '/mnt/host', fs: nodeHostFolder(dir) }],
    });
    // --- end ---
    kernel.registerProgram('/bin/app', {});
    const pid = kernel.spawn('/bin/app');
    const enc = new TextEncoder();
    const at = kernel.stack(pid).end - 4096;
    kernel.store(pid, at, enc.encode('/mnt/host/notes.txt\0'));
    const fd = kernel.syscall(pid, SYS.open, at, O.O_RDWR | O.O_CREAT, 0o644);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(kernel.syscall(pid, SYS.ftruncate, fd, 4096)).toBe(0);
    const addr = kernel.syscall(pid, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, fd, 0);
    expect(kernel.store(pid, addr, enc.encode('written through a mapping'))).toBe(0);
    expect(kernel.syscall(pid, SYS.msync, addr, 4096, 4 /* MS_SYNC */)).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8').slice(0, 25)).toBe('written through a mapping');
    kernel.syscall(pid, SYS.exit_group, 0);
  });

  it('refuses a host folder that does not exist, at assembly', () => {
    expect(() => createKernel({ mounts: [{ path: '/mnt/x', fs: nodeHostFolder(join(dir, 'missing')) }] })).toThrow(/cannot use host folder/);
  });
});
