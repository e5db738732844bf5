import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtFs } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { debugfs, fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, rootCaller, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 1000, gid: 100 };
const DIR = { mode: S.S_IFDIR | 0o755, uid: 0, gid: 0 };
const LINK = { mode: S.S_IFLNK | 0o777, uid: 0, gid: 0 };

function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text));
}

function ok<T>(v: T | number): T {
  if (typeof v === 'number') throw new Error(`errno ${v}`);
  return v;
}

const LAYOUTS: { name: string; flavour: 'ext2' | 'ext3' | 'ext4'; args: string[] }[] = [
  { name: 'ext4 1k', flavour: 'ext4', args: ['-t', 'ext4', '-b', '1024'] },
  { name: 'ext4 4k 128-byte inodes', flavour: 'ext4', args: ['-t', 'ext4', '-b', '4096', '-I', '128'] },
  { name: 'ext4 2k uninit_bg', flavour: 'ext4', args: ['-t', 'ext4', '-b', '2048', '-O', '^metadata_csum,^64bit,uninit_bg'] },
  { name: 'ext3 1k', flavour: 'ext3', args: ['-t', 'ext3', '-b', '1024'] },
  { name: 'ext2 4k', flavour: 'ext2', args: ['-t', 'ext2', '-b', '4096'] },
];

/** Every directory operation once, then sync: what e2fsck and debugfs then find. */
function exercise(fs: ExtFs): void {
  const root = fs.root();
  const hello = ok(fs.create!(root, 'hello', FILE)) as ExtInode;
  expect(hello.write(0, bytes('hello from tskern\n'), 0, 18)).toBe(18);
  const dir = ok(fs.mkdir!(root, 'dir', DIR));
  const big = ok(fs.create!(dir, 'big', FILE)) as ExtInode;
  const data = new Uint8Array(700 * 1024).map((_, i) => (i * 7 + (i >> 10)) & 0xff);
  expect(big.write(0, data, 0, data.length)).toBe(data.length);
  // A hole, then data far out: the extent tree or block map grows deep.
  expect(big.write(9 * 1024 * 1024, bytes('far'), 0, 3)).toBe(3);
  for (let i = 0; i < 300; i++) ok(fs.create!(dir, `f${i}`, FILE));
  for (let i = 0; i < 300; i += 2) expect(fs.unlink!(dir, `f${i}`)).toBe(0);
  ok(fs.symlink!(root, 'fast', 'hello', LINK));
  ok(fs.symlink!(root, 'slow', 'y'.repeat(200), LINK));
  expect(fs.link!(hello, dir, 'hello-again')).toBe(0);
  ok(fs.mkdir!(dir, 'sub', DIR));
  expect(fs.rename!(dir, 'sub', root, 'moved')).toBe(0);
  expect(fs.rename!(root, 'fast', dir, 'f1')).toBe(0); // replaces a file
  const shrink = ok(fs.create!(root, 'shrink', FILE)) as ExtInode;
  expect(shrink.write(0, data, 0, 200 * 1024)).toBe(200 * 1024);
  expect(shrink.setattr({ size: 5000 })).toBe(0);
  expect(shrink.setattr({ size: 100_000 })).toBe(0);
  ok(fs.mkdir!(root, 'gone', DIR));
  expect(fs.rmdir!(root, 'gone')).toBe(0);
  expect(fs.rmdir!(root, 'dir')).toBe(-39); // ENOTEMPTY
  expect(fs.sync()).toBe(0);
}

describe.skipIf(!haveE2fsprogs)('writing: e2fsck -fn finds the file system clean', () => {
  for (const layout of LAYOUTS) {
    it(`${layout.name}: create, write, mkdir, unlink, symlink, link, rename, truncate, rmdir`, () => {
      const { dir: tmp, cleanup } = scratch();
      try {
        const image = makeImage(tmp, 16 * 1024, layout.args);
        const { fs, device } = mountImage(image, layout.flavour);
        exercise(fs);
        fs.shutdown();
        const check = fsck(device.image);
        expect(check.output).not.toMatch(/\?|ERROR|Fix/);
        expect(check.status).toBe(0);
        expect(debugfs(device.image, 'cat /hello').toString()).toBe('hello from tskern\n');
        expect(debugfs(device.image, 'cat /dir/hello-again').toString()).toBe('hello from tskern\n');
        const big = debugfs(device.image, 'cat /dir/big');
        expect(big.length).toBe(9 * 1024 * 1024 + 3);
        expect(big.subarray(0, 700 * 1024)).toEqual(Buffer.from(new Uint8Array(700 * 1024).map((_, i) => (i * 7 + (i >> 10)) & 0xff)));
        expect(big.subarray(9 * 1024 * 1024).toString()).toBe('far');
        const shrink = debugfs(device.image, 'cat /shrink');
        expect(shrink.length).toBe(100_000);
        expect(shrink.subarray(5000).every((b) => b === 0)).toBe(true);
        expect(debugfs(device.image, 'stat /slow').toString()).toMatch(/Size: 200/);
        expect(debugfs(device.image, 'ls -l /moved').toString()).toMatch(/\.\./);

        // And back through a fresh mount.
        const again = mountImage(device.image, layout.flavour, true).fs;
        expect(readAll(walk(again, 'dir/big')).subarray(0, 10)).toEqual(new Uint8Array(700 * 1024).map((_, i) => (i * 7 + (i >> 10)) & 0xff).subarray(0, 10));
        expect(again.readlink(walk(again, 'dir/f1'), rootCaller)).toBe('hello');
        expect(walk(again, 'hello').nlink).toBe(2);
        expect(walk(again, 'dir').nlink).toBe(2);
      } finally {
        cleanup();
      }
    });
  }
});
