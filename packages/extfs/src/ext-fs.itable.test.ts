import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { BG } from './group-descriptors';
import { dumpe2fs, fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, rootCaller } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };

/**
 * An image as `mke2fs -E lazy_itable_init=1,nodiscard` leaves it (no group
 * ITABLE_ZEROED), with the never-used part of every inode table filled
 * with stale bytes, as a reused disk has. Linux 6.18 on such an image
 * (loop mount, a few seconds): dumpe2fs shows every group ITABLE_ZEROED,
 * e2fsck -fn is clean.
 */
describe('inode tables mke2fs did not zero (lazy_itable_init)', () => {
  it.skipIf(!haveE2fsprogs)('stale slots are never trusted, a read-write mount zeroes them and sets ITABLE_ZEROED, e2fsck stays clean', () => {
    const { dir, cleanup } = scratch();
    try {
      const image = makeImage(dir, 32 * 1024, ['-t', 'ext4', '-b', '1024', '-E', 'lazy_itable_init=1,nodiscard']);
      expect(dumpe2fs(image)).not.toMatch(/ITABLE_ZEROED/);
      // Stale bytes past the used inodes of every group.
      const ro = mountImage(image, 'ext4', true).fs;
      const sb = ro.sb;
      const perBlock = sb.blockSize / sb.inodeSize;
      const tableBlocks = sb.inodesPerGroup / perBlock;
      const stale: { from: number; to: number }[] = [];
      for (const d of ro.alloc.groups) {
        const used = (d.flags & BG.INODE_UNINIT) !== 0 ? 0 : Math.ceil((sb.inodesPerGroup - d.itableUnused) / perBlock);
        stale.push({ from: (d.inodeTable + used) * sb.blockSize, to: (d.inodeTable + tableBlocks) * sb.blockSize });
      }
      ro.shutdown();
      expect(stale.length).toBeGreaterThan(1);
      for (const { from, to } of stale) image.fill(0xa5, from, to);
      // Read-only: nothing is written, a stale slot is not an inode.
      const look = mountImage(image.slice(), 'ext4', true).fs;
      expect(look.inode(sb.inodesPerGroup + 1)).toBe(-117); // EUCLEAN: an unallocated inode
      look.shutdown();
      const { fs, device } = mountImage(image);
      for (const { from, to } of stale) expect(device.image.subarray(from, to).every((b) => b === 0)).toBe(true);
      for (let i = 0; i < 50; i++) expect(typeof fs.create(fs.root(), `f${i}`, FILE)).toBe('object');
      expect(typeof fs.lookup(fs.root(), 'f49', rootCaller)).toBe('object');
      expect(fs.sync()).toBe(0);
      fs.shutdown();
      const groups = dumpe2fs(device.image).match(/^Group \d+:.*$/gm) ?? [];
      expect(groups.length).toBe(stale.length);
      for (const g of groups) expect(g).toMatch(/ITABLE_ZEROED/);
      const check = fsck(device.image);
      expect(check.output).not.toMatch(/\?|Fix/);
      expect(check.status).toBe(0);
    } finally {
      cleanup();
    }
  });
});
