import * as fs from 'node:fs';
import * as path from 'node:path';
import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { debugfs, fsck, fsckReindex, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, rootCaller, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };

describe.skipIf(!haveE2fsprogs)('htree (dir_index) directories', () => {
  it('read linearly; the first change drops the index and e2fsck still finds the file system clean', () => {
    const { dir, cleanup } = scratch();
    try {
      const src = path.join(dir, 'src');
      fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
      for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(src, 'sub', `entry-with-a-longish-name-${i}`), `${i}`);
      const image = fsckReindex(makeImage(dir, 8 * 1024, ['-t', 'ext4', '-b', '1024'], src));
      expect(debugfs(image, 'stat /sub').toString()).toMatch(/Flags: 0x81000/); // EXTENTS | INDEX
      const { fs: ext, device } = mountImage(image);
      const sub = walk(ext, 'sub');
      expect([...ext.readdir(sub, 2, rootCaller)]).toHaveLength(400);
      expect(Buffer.from(readAll(walk(ext, 'sub/entry-with-a-longish-name-321'))).toString()).toBe('321');
      expect(typeof ext.create(sub, 'new-one', FILE)).toBe('object');
      expect(ext.unlink(sub, 'entry-with-a-longish-name-7')).toBe(0);
      expect(ext.sync()).toBe(0);
      const check = fsck(device.image);
      expect(check.output).not.toMatch(/\?|Fix/);
      expect(check.status).toBe(0);
      expect(debugfs(device.image, 'ls /sub').toString()).toMatch(/new-one/);
    } finally {
      cleanup();
    }
  });
});
