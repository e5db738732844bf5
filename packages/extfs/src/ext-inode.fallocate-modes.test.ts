import { createHash } from 'node:crypto';
import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtFlavour } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const KEEP = 0x01;
const PUNCH = 0x02 | KEEP;
const COLLAPSE = 0x08;
const ZERO = 0x10;
const INSERT = 0x20;

/** The 20000 bytes each case starts from: byte i is (i * 7 + 1) % 251 + 1 (never 0). */
const PATTERN = Uint8Array.from({ length: 20000 }, (_, i) => ((i * 7 + 1) % 251) + 1);

/**
 * Linux 6.18 on a loop-mounted 8 MiB `mkfs.ext4 -b 1024` / `mkfs.ext2 -b
 * 1024` image: PATTERN written and synced, then fallocate(mode, offset,
 * length): its answer, st_size, st_blocks and the first 8 hex digits of the
 * content's md5 (python3 with ctypes' fallocate, stat, hashlib).
 */
const HOST: Record<ExtFlavour, [string, number, number, number, number, number, number, string][]> = {
  ext4: [
    ['punch', PUNCH, 1500, 5000, 0, 20000, 32, '25c4f6e4'],
    ['punch past EOF', PUNCH, 18000, 9000, 0, 20000, 36, 'bc76fd79'],
    ['punch beyond EOF', PUNCH, 30000, 100, 0, 20000, 40, '98c0c08e'],
    ['punch all', PUNCH, 0, 20000, 0, 20000, 2, 'b2fe4573'],
    ['zero', ZERO, 1500, 5000, 0, 20000, 40, '25c4f6e4'],
    ['zero keep size', ZERO | KEEP, 18000, 9000, 0, 20000, 54, 'bc76fd79'],
    ['zero growing', ZERO, 18000, 9000, 0, 27000, 54, '04760bf1'],
    ['collapse', COLLAPSE, 2048, 4096, 0, 15904, 32, '2b1f04e7'],
    ['collapse unaligned', COLLAPSE, 2000, 4096, -22, 20000, 40, '98c0c08e'],
    ['collapse to EOF', COLLAPSE, 16384, 4096, -22, 20000, 40, '98c0c08e'],
    ['collapse before EOF', COLLAPSE, 16384, 3072, 0, 16928, 34, '8aca85e0'],
    ['insert', INSERT, 1024, 2048, 0, 22048, 40, 'a9f041f8'],
    ['insert unaligned', INSERT, 1000, 2048, -22, 20000, 40, '98c0c08e'],
    ['insert at EOF', INSERT, 20480, 1024, -22, 20000, 40, '98c0c08e'],
    ['insert in the last block', INSERT, 19456, 1024, 0, 21024, 40, '0c095a28'],
  ],
  ext2: [
    ['punch', PUNCH, 1500, 5000, 0, 20000, 34, '25c4f6e4'],
    ['punch past EOF', PUNCH, 18000, 9000, 0, 20000, 38, 'bc76fd79'],
    ['punch beyond EOF', PUNCH, 30000, 100, 0, 20000, 42, '98c0c08e'],
    ['punch all', PUNCH, 0, 20000, 0, 20000, 4, 'b2fe4573'],
    ['zero', ZERO, 1500, 5000, -95, 20000, 42, '98c0c08e'],
    ['collapse', COLLAPSE, 2048, 4096, -95, 20000, 42, '98c0c08e'],
    ['collapse unaligned', COLLAPSE, 2000, 4096, -95, 20000, 42, '98c0c08e'],
    ['insert', INSERT, 1024, 2048, -95, 20000, 42, '98c0c08e'],
  ],
  ext3: [],
};

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex').slice(0, 8);

describe('fallocate PUNCH_HOLE, ZERO_RANGE, COLLAPSE_RANGE and INSERT_RANGE (ext4_fallocate)', () => {
  for (const flavour of ['ext4', 'ext2'] as const) {
    it.skipIf(!haveE2fsprogs)(`${flavour}: answers, sizes, st_blocks and contents as Linux, e2fsck clean`, () => {
      const { dir, cleanup } = scratch();
      try {
        const { fs, device } = mountImage(makeImage(dir, 8192, ['-t', flavour, '-b', '1024']), flavour);
        const got: unknown[] = [];
        for (const [name, mode, offset, length] of HOST[flavour]) {
          const f = fs.create(fs.root(), name.replace(/ /g, '-'), FILE) as ExtInode;
          expect(f.write(0, PATTERN, 0, PATTERN.length)).toBe(PATTERN.length);
          expect(fs.sync()).toBe(0);
          const r = f.fallocate(mode, offset, length);
          got.push([name, mode, offset, length, r, f.size(), f.blocks(), md5(readAll(f))]);
        }
        expect(got).toEqual(HOST[flavour]);
        expect(fs.sync()).toBe(0);
        fs.shutdown();
        const check = fsck(device.image);
        expect(check.output).not.toMatch(/Fix\?/);
        expect(check.status).toBe(0);
      } finally {
        cleanup();
      }
    });
  }

  it.skipIf(!haveE2fsprogs)('dirty pages are kept: data written but not yet written back moves with collapse and insert', () => {
    const { dir, cleanup } = scratch();
    try {
      const { fs, device } = mountImage(makeImage(dir, 8192, ['-t', 'ext4', '-b', '1024']));
      const f = fs.create(fs.root(), 'f', FILE) as ExtInode;
      expect(f.write(0, PATTERN, 0, PATTERN.length)).toBe(PATTERN.length);
      expect(f.fallocate(INSERT, 4096, 8192)).toBe(0);
      expect(f.fallocate(COLLAPSE, 4096, 8192)).toBe(0);
      expect(readAll(f)).toEqual(PATTERN);
      expect(f.fallocate(PUNCH, 100, 300)).toBe(0);
      const want = PATTERN.slice();
      want.fill(0, 100, 400);
      expect(readAll(f)).toEqual(want);
      expect(fs.sync()).toBe(0);
      fs.shutdown();
      expect(fsck(device.image).status).toBe(0);
    } finally {
      cleanup();
    }
  });
});
