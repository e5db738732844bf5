import { Errno, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fixtureImage } from './testing/fixture';
import { fsck, haveE2fsprogs } from './testing/host-tools';
import { mountImage } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };

describe('limits and failures', () => {
  it('ENOSPC when the inodes run out; the image stays clean', () => {
    const { fs, device } = mountImage(fixtureImage());
    const free = fs.statfs().freeFiles;
    for (let i = 0; i < free; i++) expect(typeof fs.create(fs.root(), `n${i}`, FILE)).toBe('object');
    expect(fs.create(fs.root(), 'one-more', FILE)).toBe(-Errno.ENOSPC);
    expect(fs.statfs().freeFiles).toBe(0);
    fs.shutdown();
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
  });

  it('a file system filled by write(2) up to ENOSPC is clean, and freeing gives the blocks back', () => {
    const { fs, device } = mountImage(fixtureImage());
    const f = fs.create(fs.root(), 'fill', FILE) as ExtInode;
    const chunk = new Uint8Array(3000).fill(5);
    let pos = 0;
    for (;;) {
      const n = f.write(pos, chunk, 0, chunk.length);
      if (n < 0) {
        expect(n).toBe(-Errno.ENOSPC);
        break;
      }
      pos += n;
    }
    expect(f.size()).toBe(pos);
    expect(fs.statfs().availableBlocks).toBe(0);
    expect(fs.sync()).toBe(0);
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
    const before = fs.statfs().freeBlocks;
    expect(f.setattr({ size: 0 })).toBe(0);
    expect(fs.statfs().freeBlocks).toBeGreaterThan(before + pos / 1024 - 1);
    fs.shutdown();
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
  });

  it('a device error is EIO at the call, never thrown', () => {
    const { fs, device } = mountImage(fixtureImage());
    const f = fs.create(fs.root(), 'x', FILE) as ExtInode;
    expect(f.write(0, new Uint8Array(10), 0, 10)).toBe(10);
    device.failing = true;
    expect(fs.sync()).toBe(-Errno.EIO);
    expect(fs.lookup(fs.root(), 'dir')).toBe(-Errno.EIO); // its inode table block is not cached yet
    device.failing = false;
    expect(fs.sync()).toBe(0);
  });
});
