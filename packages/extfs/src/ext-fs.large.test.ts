import { S } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { debugfs, dumpe2fs, fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage } from './testing/mounted';

describe.skipIf(!haveE2fsprogs)('more data than memory, over many groups', () => {
  it('pages are written back and dropped when frames run out; uninitialised groups are set up; e2fsck is clean', () => {
    const { dir, cleanup } = scratch();
    try {
      // 64 MiB with the host's mke2fs.conf: 1 KiB blocks, 8 groups, most BLOCK_UNINIT.
      const image = makeImage(dir, 64 * 1024, ['-t', 'ext4']);
      expect(dumpe2fs(image)).toMatch(/Group 5: .*BLOCK_UNINIT/);
      const frames = new ArenaFrameAllocator({ bytes: 4 * 1024 * 1024 });
      const { fs, device } = mountImage(image, 'ext4', false, frames);
      const chunk = new Uint8Array(1 << 20);
      for (let d = 0; d < 4; d++) {
        const sub = fs.mkdir(fs.root(), `d${d}`, { mode: S.S_IFDIR | 0o755, uid: 0, gid: 0 }) as ExtInode;
        const f = fs.create(sub, 'f', { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 }) as ExtInode;
        for (let i = 0; i < 10; i++) expect(f.write(i << 20, chunk.fill(d * 16 + i), 0, chunk.length)).toBe(chunk.length);
      }
      fs.shutdown();
      expect(dumpe2fs(device.image)).not.toMatch(/Group 4: .*BLOCK_UNINIT/); // 40 MiB reached group 4
      const check = fsck(device.image);
      expect(check.output).not.toMatch(/\?|Fix/);
      expect(check.status).toBe(0);
      const last = debugfs(device.image, 'cat /d3/f');
      expect(last.length).toBe(10 << 20);
      expect(last[9 << 20]).toBe(3 * 16 + 9);
    } finally {
      cleanup();
    }
  });
});
