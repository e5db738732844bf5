import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { decodeSpecialDevice, encodeSpecialDevice } from './special-inode';
import { debugfs, fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, walk } from './testing/mounted';

const root = { uid: 0, gid: 0 };

describe('device numbers in i_block (old_encode_dev / new_encode_dev)', () => {
  it('keeps small numbers in the old form in i_block[0], others in the new form in i_block[1]', () => {
    const iblock = new Uint8Array(60);
    encodeSpecialDevice(iblock, 0x103);
    expect([...iblock.subarray(0, 8)]).toEqual([3, 1, 0, 0, 0, 0, 0, 0]);
    expect(decodeSpecialDevice(iblock)).toBe(0x103);
    encodeSpecialDevice(iblock, 0x12300145); // 1:0x12345
    expect(new DataView(iblock.buffer).getUint32(0, true)).toBe(0);
    expect(new DataView(iblock.buffer).getUint32(4, true)).toBe(0x12300145);
    expect(decodeSpecialDevice(iblock)).toBe(0x12300145);
    encodeSpecialDevice(iblock, 0x10300); // 259:0: major past a byte
    expect(decodeSpecialDevice(iblock)).toBe(0x10300);
  });
});

describe.skipIf(!haveE2fsprogs)('mknod on ext2 and ext4 (ext4_mknod)', () => {
  it.each([['ext2'], ['ext4']] as const)('%s: every type, e2fsck clean, debugfs sees the numbers', (type) => {
    const { dir, cleanup } = scratch();
    try {
      const { fs: ext, device } = mountImage(makeImage(dir, 1024, ['-t', type]), type, false);
      const mk = (name: string, mode: number, rdev: number) => ext.mknod(ext.root(), name, { mode, ...root }, rdev) as ExtInode;
      expect(mk('fifo', S.S_IFIFO | 0o644, 0).rdev).toBe(0);
      expect(mk('sock', S.S_IFSOCK | 0o755, 0).mode).toBe(S.S_IFSOCK | 0o755);
      expect(mk('null', S.S_IFCHR | 0o666, 0x103).rdev).toBe(0x103);
      expect(mk('big', S.S_IFCHR | 0o600, 0x12300145).rdev).toBe(0x12300145);
      expect(mk('loop', S.S_IFBLK | 0o600, 0x700).rdev).toBe(0x700);
      ext.shutdown();
      const check = fsck(device.image);
      expect(check.output).not.toMatch(/\?|Fix/);
      expect(check.status).toBe(0);
      expect(debugfs(device.image, 'stat /null').toString()).toMatch(/Type: character special[\s\S]*Device major\/minor number: 01:03/);
      expect(debugfs(device.image, 'stat /big').toString()).toMatch(/Device major\/minor number: 01:74565/);
      expect(debugfs(device.image, 'stat /loop').toString()).toMatch(/Type: block special[\s\S]*Device major\/minor number: 07:00/);
      expect(debugfs(device.image, 'stat /fifo').toString()).toMatch(/Type: FIFO/);
      expect(debugfs(device.image, 'stat /sock').toString()).toMatch(/Type: socket/);
      const again = mountImage(device.image, type, true).fs;
      expect(walk(again, '/big').rdev).toBe(0x12300145);
      expect(walk(again, '/fifo').mode).toBe(S.S_IFIFO | 0o644);
    } finally {
      cleanup();
    }
  });

  it('reads the nodes mke2fs -d copied from a directory made on the host', () => {
    const { dir, cleanup } = scratch();
    try {
      const src = path.join(dir, 'src');
      fs.mkdirSync(src);
      execFileSync('mknod', [path.join(src, 'null'), 'c', '1', '3']);
      execFileSync('mknod', [path.join(src, 'wide'), 'c', '300', '70000']);
      execFileSync('mkfifo', [path.join(src, 'fifo')]);
      const { fs: ext } = mountImage(makeImage(dir, 1024, ['-t', 'ext4'], src), 'ext4', true);
      expect(walk(ext, '/null').rdev).toBe(0x103);
      expect(walk(ext, '/wide').rdev).toBe(((70000 & 0xfff00) << 12) | (300 << 8) | (70000 & 0xff));
      expect(walk(ext, '/fifo').mode & S.S_IFMT).toBe(S.S_IFIFO);
    } finally {
      cleanup();
    }
  });
});
