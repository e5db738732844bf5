import { Errno, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fixtureImage } from './testing/fixture';
import { fsck, haveE2fsprogs } from './testing/host-tools';
import { mountImage } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };

/*
 * Expected figures from Linux 6.x on the same image (a host loop mount):
 * 100 bytes written, fallocate(KEEP_SIZE, 0, 50000) -> size 100, st_blocks
 * 98, both times changed; fallocate(0, 0, 50000) -> size 50000, st_blocks 98;
 * SEEK_DATA from 0 is 0 and SEEK_HOLE from 0 is 1024.
 */
describe('fallocate and SEEK_DATA/SEEK_HOLE', () => {
  it('preallocate unwritten extents that read as zeros, as Linux on the same image', () => {
    let now = 1_000_000;
    const { fs, device } = mountImage(fixtureImage());
    Object.assign(fs, { now: () => now });
    const f = fs.create(fs.root(), 'fa', FILE) as ExtInode;
    expect(f.write(0, new Uint8Array(100).fill(0x78), 0, 100)).toBe(100);
    now += 1000;
    expect(f.fallocate(1, 0, 50000)).toBe(0);
    expect([f.size(), f.blocks(), f.mtime, f.ctime]).toEqual([100, 98, now, now]);
    expect(f.fallocate(0, 0, 50000)).toBe(0);
    expect([f.size(), f.blocks()]).toEqual([50000, 98]);
    expect(f.seekData(0, false)).toBe(0);
    expect(f.seekData(0, true)).toBe(1024);
    expect(f.seekData(2000, false)).toBe(-Errno.ENXIO);
    const back = new Uint8Array(50000);
    expect(f.read(0, back, 0, back.length)).toBe(50000);
    expect(back.subarray(100).every((b) => b === 0)).toBe(true);
    // Writing into the preallocated range makes those blocks data.
    expect(f.write(30000, new Uint8Array(10).fill(1), 0, 10)).toBe(10);
    expect(fs.sync()).toBe(0);
    expect(f.seekData(2000, false)).toBe(29 * 1024);
    expect(f.fallocate(0x40, 0, 10)).toBe(-Errno.EOPNOTSUPP); // UNSHARE_RANGE: ext4 has no shared extents
    fs.shutdown();
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
  });
});
