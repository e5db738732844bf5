import * as fs from 'node:fs';
import * as path from 'node:path';
import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtFs } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { debugfs, fsck, fsckReindex, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, rootCaller, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const DIR = { mode: S.S_IFDIR | 0o755, uid: 0, gid: 0 };
/** A fixed s_hash_seed, so leaf splits are the same as on the host. */
const SEED = 'fedcba98-7654-3210-0f1e-2d3c4b5a6978';

/** e2fsck -fn is clean: no question, no fix, status 0 (pass 2 checks every htree: hashes, order, limits, checksums). */
function expectClean(image: Uint8Array): void {
  const check = fsck(image);
  expect(check.output).not.toMatch(/\?|Fix|HTREE/);
  expect(check.status).toBe(0);
}

/** The names readdir gives, sorted. */
function names(ext: ExtFs, dir: ExtInode): string[] {
  return [...ext.readdir(dir, 2, rootCaller)].map((e) => e.name).sort();
}

const long = (i: number): string => `entry-with-a-rather-long-name-to-fill-blocks-quickly-${i}`;

describe.skipIf(!haveE2fsprogs)('htree (dir_index) directories', () => {
  it('an index e2fsck -D built stays valid through inserts (leaf splits, a second level) and removals', () => {
    const { dir, cleanup } = scratch();
    try {
      const src = path.join(dir, 'src');
      fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
      for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(src, 'sub', `entry-with-a-longish-name-${i}`), `${i}`);
      const image = fsckReindex(makeImage(dir, 16 * 1024, ['-t', 'ext4', '-b', '1024', '-N', '8192'], src));
      expect(debugfs(image, 'stat /sub').toString()).toMatch(/Flags: 0x81000/); // EXTENTS | INDEX
      const { fs: ext, device } = mountImage(image);
      const sub = walk(ext, 'sub');
      expect(names(ext, sub)).toHaveLength(400);
      expect(Buffer.from(readAll(walk(ext, 'sub/entry-with-a-longish-name-321'))).toString()).toBe('321');
      // Enough long names for more leaves than the root holds (123 with metadata_csum): a level of nodes.
      for (let i = 0; i < 3000; i++) expect(typeof ext.create(sub, long(i), FILE)).toBe('object');
      for (let i = 0; i < 400; i += 3) expect(ext.unlink(sub, `entry-with-a-longish-name-${i}`)).toBe(0);
      for (let i = 0; i < 3000; i += 7) expect(ext.unlink(sub, long(i))).toBe(0);
      expect(ext.lookup(sub, long(7), rootCaller)).toBe(-2);
      expect(typeof ext.lookup(sub, long(8), rootCaller)).toBe('object');
      expect(typeof ext.lookup(sub, 'entry-with-a-longish-name-1', rootCaller)).toBe('object');
      expect(ext.sync()).toBe(0);
      expect((sub as ExtInode).disk.flags & 0x1000).toBe(0x1000);
      expectClean(device.image);
      const dump = debugfs(device.image, 'htree /sub').toString();
      expect(dump).toMatch(/Indirect levels: 1/);
      expect(debugfs(device.image, `ls /sub`).toString()).toMatch(new RegExp(long(2999)));
    } finally {
      cleanup();
    }
  });

  it('a directory becomes indexed when it outgrows its first block (make_indexed_dir), and lookups use the index', () => {
    const { dir, cleanup } = scratch();
    try {
      for (const csum of [true, false]) {
        const args = ['-t', 'ext4', '-b', '1024', '-E', `hash_seed=${SEED}`, ...(csum ? [] : ['-O', '^metadata_csum'])];
        const { fs: ext, device } = mountImage(makeImage(dir, 8 * 1024, args));
        const d = ext.mkdir(ext.root(), 'grow', DIR) as ExtInode;
        const want: string[] = [];
        for (let i = 0; i < 600; i++) {
          want.push(long(i));
          expect(typeof ext.create(d, long(i), FILE)).toBe('object');
          if (i === 10) expect(d.disk.flags & 0x1000).toBe(0); // one block still
        }
        expect(d.disk.flags & 0x1000).toBe(0x1000);
        // Linux 6.18, the same 600 touches in a new directory of a loop-mounted `mkfs.ext4 -b 1024
        // -E hash_seed=SEED` image: size 60416, and debugfs `htree` shows 58 leaves under the root (limit 123).
        if (csum) {
          expect(d.size()).toBe(60416);
          expect(debugfs((ext.sync(), device.image), 'htree /grow').toString()).toMatch(/count\): 58\n.*limit\): 123/);
        }
        expect(names(ext, d)).toEqual(want.sort());
        for (const n of want) expect(typeof ext.lookup(d, n, rootCaller)).toBe('object');
        // rename inside, a moved subdirectory's ".." in an indexed root block
        expect(ext.rename(d, long(5), d, 'renamed')).toBe(0);
        expect(ext.mkdir(ext.root(), 'other', DIR)).toBeTypeOf('object');
        const moved = ext.mkdir(d, 'child', DIR) as ExtInode;
        for (let i = 0; i < 100; i++) ext.create(moved, `c-${i}-${'z'.repeat(40)}`, FILE);
        expect(ext.rename(d, 'child', walk(ext, 'other'), 'child')).toBe(0);
        expect(ext.sync()).toBe(0);
        expectClean(device.image);
        expect(debugfs(device.image, 'htree /grow').toString()).toMatch(/Root node dump/);
      }
    } finally {
      cleanup();
    }
  });

  it('without dir_index a directory stays linear', () => {
    const { dir, cleanup } = scratch();
    try {
      const { fs: ext, device } = mountImage(makeImage(dir, 4 * 1024, ['-t', 'ext4', '-b', '1024', '-O', '^dir_index']));
      const d = ext.mkdir(ext.root(), 'flat', DIR) as ExtInode;
      for (let i = 0; i < 200; i++) ext.create(d, long(i), FILE);
      expect(d.disk.flags & 0x1000).toBe(0);
      expect(names(ext, d)).toHaveLength(200);
      expect(ext.sync()).toBe(0);
      expectClean(device.image);
    } finally {
      cleanup();
    }
  });
});
