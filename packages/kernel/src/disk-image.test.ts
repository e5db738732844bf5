import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Errno, O } from '@tskern/abi';
import type { OpenFileDescription } from '@tskern/vfs';
import { createKernel } from './kernel';

const mke2fs = ['/usr/sbin/mke2fs', '/sbin/mke2fs'].find((p) => existsSync(p));

/** An ext4 image of `kib` KiB made by the host's mke2fs, holding /hello. */
function hostImage(kib: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'disk-image-'));
  try {
    writeFileSync(join(dir, 'hello'), 'hello from ext4\n');
    const img = join(dir, '..', `${dir.split('/').pop()}.img`);
    writeFileSync(img, new Uint8Array(0));
    truncateSync(img, kib * 1024);
    execFileSync(mke2fs!, ['-q', '-F', '-t', 'ext4', '-d', dir, img, `${kib}`], { stdio: 'pipe' });
    const bytes = new Uint8Array(readFileSync(img));
    rmSync(img);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readAll(f: OpenFileDescription): string {
  const buf = new Uint8Array(256);
  const n = f.pread(buf, 0, buf.length, 0);
  return new TextDecoder().decode(buf.subarray(0, Math.max(0, n)));
}

describe('mounting a disk image (mount -o loop)', () => {
  it.skipIf(mke2fs === undefined)('attaches the image to a free loop device with autoclear, mounts it, and frees the device at umount', () => {
    const k = createKernel();
    const root = k.vfs.kernelTask();
    const img = k.vfs.open(root, '/disk.img', O.O_CREAT | O.O_RDWR, 0o644) as OpenFileDescription;
    const bytes = hostImage(4096);
    expect(img.pwrite(bytes, 0, bytes.length, 0)).toBe(bytes.length);
    expect(k.vfs.mkdir(root, '/mnt', 0o755)).toBe(0);

    expect(k.mountImage(img, '/mnt', { type: 'ext4', readOnly: false })).toBe(0);
    const hello = k.vfs.open(root, '/mnt/hello', O.O_RDONLY, 0) as OpenFileDescription;
    expect(readAll(hello)).toBe('hello from ext4\n');
    hello.decRef();
    expect(k.vfs.mounts().some((m) => m.fs.type === 'ext4' && m.source === '/dev/loop0')).toBe(true);
    // The next image gets the next device while loop0 is held.
    expect(k.loop.getFree()).toBe(1);

    // A write inside reaches the image file once the kernel syncs (as tskern exec does at the end).
    const marker = 'written through the loop device';
    const w = k.vfs.open(root, '/mnt/new', O.O_CREAT | O.O_WRONLY, 0o644) as OpenFileDescription;
    expect(w.pwrite(new TextEncoder().encode(marker), 0, marker.length, 0)).toBe(marker.length);
    w.decRef();
    const inImage = (): boolean => {
      const back = new Uint8Array(bytes.length);
      img.pread(back, 0, back.length, 0);
      return Buffer.from(back).includes(marker);
    };
    expect(k.syncAll()).toBe(0);
    expect(inImage()).toBe(true);
    img.decRef();

    const mnt = k.vfs.lookup(root, '/mnt', true);
    if (typeof mnt === 'number') throw new Error('lookup');
    expect(k.vfs.umount(mnt.mount, false)).toBe(0);
    expect(k.loop.device(0)?.state).toBe('unbound');
    expect(k.loop.getFree()).toBe(0);
  });

  it('gives the mount errno and leaves no device bound when the image is not a file system', () => {
    const k = createKernel();
    const root = k.vfs.kernelTask();
    const img = k.vfs.open(root, '/zeros.img', O.O_CREAT | O.O_RDWR, 0o644) as OpenFileDescription;
    expect(img.truncate(1 << 20, root.cred)).toBe(0);
    expect(k.vfs.mkdir(root, '/mnt', 0o755)).toBe(0);
    expect(k.mountImage(img, '/mnt', { type: 'ext4', readOnly: true })).toBe(-Errno.EINVAL);
    expect(k.mountImage(img, '/missing', { type: 'ext4', readOnly: true })).toBe(-Errno.ENOENT);
    expect(k.loop.device(0)?.state).toBe('unbound');
    img.decRef();
  });
});
