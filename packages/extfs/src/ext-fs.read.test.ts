import * as fs from 'node:fs';
import * as path from 'node:path';
import { S } from '@tskern/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugfsWrite, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, rootCaller, walk } from './testing/mounted';

/** Deterministic bytes: file `seed`'s content. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** mke2fs variants: the layouts the read path must understand. */
const LAYOUTS: { name: string; flavour: 'ext2' | 'ext3' | 'ext4'; args: string[] }[] = [
  { name: 'ext4, 1 KiB blocks (the mke2fs.conf "small" type LTP gets)', flavour: 'ext4', args: ['-t', 'ext4', '-b', '1024'] },
  { name: 'ext4, 4 KiB blocks, 128-byte inodes', flavour: 'ext4', args: ['-t', 'ext4', '-b', '4096', '-I', '128'] },
  { name: 'ext4, 2 KiB blocks, no metadata_csum (uninit_bg crc16), no 64bit', flavour: 'ext4', args: ['-t', 'ext4', '-b', '2048', '-O', '^metadata_csum,^64bit,uninit_bg'] },
  { name: 'ext3, 1 KiB blocks (block map, journal)', flavour: 'ext3', args: ['-t', 'ext3', '-b', '1024'] },
  { name: 'ext2, 4 KiB blocks', flavour: 'ext2', args: ['-t', 'ext2', '-b', '4096'] },
];

describe.skipIf(!haveE2fsprogs)('reading images mke2fs made (mke2fs -d)', () => {
  const { dir, cleanup } = scratch();
  const src = path.join(dir, 'src');
  const big = pattern(300 * 1024, 1); // past the double-indirect reach of 1 KiB blocks (12 + 256 blocks)
  const longTarget = 'x/'.repeat(60) + 'target';
  beforeAll(() => {
    fs.mkdirSync(path.join(src, 'sub', 'deeper'), { recursive: true });
    fs.writeFileSync(path.join(src, 'small'), 'hello, ext4\n');
    fs.writeFileSync(path.join(src, 'big'), big);
    const fd = fs.openSync(path.join(src, 'sparse'), 'w');
    fs.writeSync(fd, 'head', 0);
    fs.writeSync(fd, 'tail', 5 * 1024 * 1024);
    fs.closeSync(fd);
    fs.symlinkSync('small', path.join(src, 'fast-link'));
    fs.symlinkSync(longTarget, path.join(src, 'slow-link'));
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(src, 'sub', `file-${i}`), `${i}`);
    fs.utimesSync(path.join(src, 'small'), 1_700_000_000.25, 1_600_000_000.5);
  });
  afterAll(cleanup);

  for (const layout of LAYOUTS) {
    it(`${layout.name}: names, contents, holes, symlinks and attributes`, () => {
      // mke2fs -d keeps whole seconds: debugfs sets the nanoseconds (ns << 2 in the _extra field).
      let image = makeImage(dir, 16 * 1024, layout.args, src);
      image = debugfsWrite(image, 'sif /small mtime_extra 2000000000');
      const { fs: ext } = mountImage(image, layout.flavour, true);
      expect(readAll(walk(ext, 'small'))).toEqual(new Uint8Array(Buffer.from('hello, ext4\n')));
      expect(readAll(walk(ext, 'big'))).toEqual(big);
      const sparse = walk(ext, 'sparse');
      expect(sparse.size()).toBe(5 * 1024 * 1024 + 4);
      const middle = new Uint8Array(8192);
      expect(sparse.read(1024 * 1024, middle, 0, middle.length)).toBe(8192);
      expect(middle.every((b) => b === 0)).toBe(true);
      const tail = new Uint8Array(4);
      sparse.read(5 * 1024 * 1024, tail, 0, 4);
      expect(Buffer.from(tail).toString()).toBe('tail');
      expect(sparse.blocks()).toBeLessThan(64); // holes take no blocks
      expect(ext.readlink(walk(ext, 'fast-link'), rootCaller)).toBe('small');
      expect(ext.readlink(walk(ext, 'slow-link'), rootCaller)).toBe(longTarget);
      const names = [...ext.readdir(walk(ext, 'sub'), 2, rootCaller)].map((e) => e.name).sort();
      expect(names).toHaveLength(201);
      expect(names).toContain('file-199');
      expect(readAll(walk(ext, 'sub/file-137'))).toEqual(new Uint8Array(Buffer.from('137')));
      expect(walk(ext, 'sub').mode & S.S_IFMT).toBe(S.S_IFDIR);
      expect(walk(ext, 'sub').nlink).toBe(3);
      const small = walk(ext, 'small');
      // A 128-byte inode has no room for nanoseconds.
      expect(small.mtime).toBe(layout.args.includes('128') ? 1_600_000_000_000 : 1_600_000_000_500);
      const st = ext.statfs();
      expect(st.magic).toBe(0xef53);
      expect(st.blockSize).toBe(ext.blockSize);
      expect(ext.lookup(ext.root(), 'missing', rootCaller)).toBe(-2);
    });
  }
});
