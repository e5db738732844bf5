import { Errno, S } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import type { FileSystem, FsParameter, FsRequest } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { crc32c } from './checksums';
import { extFileSystemType, extFileSystemTypes } from './ext-fs-type';
import { fixtureImage } from './testing/fixture';
import { MemoryBlockDevice } from './testing/memory-block-device';

const frames = new ArenaFrameAllocator({ bytes: 16 * 1024 * 1024 });

function params(options: string): FsParameter[] {
  return options === ''
    ? []
    : options.split(',').map((o) => {
        const eq = o.indexOf('=');
        return eq < 0 ? { key: o, value: null } : { key: o.slice(0, eq), value: o.slice(eq + 1) };
      });
}

function request(image: Uint8Array, options = '', readOnly = false): FsRequest {
  return { source: '/dev/loop0', parameters: params(options), readOnly, uid: 0, gid: 0, device: new MemoryBlockDevice(image) };
}

/** The fixture with superblock field `at` or-ed with `bits`, the checksum set again. */
function withFeature(at: number, bits: number): Uint8Array {
  const image = fixtureImage();
  const v = new DataView(image.buffer, 1024, 1024);
  v.setUint32(at, v.getUint32(at, true) | bits, true);
  v.setUint32(0x3fc, crc32c(0xffffffff, image.subarray(1024, 1024 + 0x3fc)), true);
  return image;
}

/*
 * Expected answers are what Linux 6.x gave for the same images and options
 * through mount(2) on a loop device (EINVAL 22, EBADMSG 74).
 */
describe('the ext2/ext3/ext4 mount(2) types', () => {
  it('register as ext3, ext2, ext4 with a device', () => {
    expect(extFileSystemTypes(frames).map((t) => [t.name, t.requiresDevice])).toEqual([
      ['ext3', true],
      ['ext2', true],
      ['ext4', true],
    ]);
  });

  it('an ext4 image mounts as ext4 only: ext2 and ext3 refuse its features with EINVAL', () => {
    expect(extFileSystemType(frames, 'ext2').mount(request(fixtureImage()))).toBe(-Errno.EINVAL);
    expect(extFileSystemType(frames, 'ext3').mount(request(fixtureImage()))).toBe(-Errno.EINVAL);
    expect(typeof extFileSystemType(frames, 'ext4').mount(request(fixtureImage()))).toBe('object');
  });

  it('options: known ones are accepted and shown as /proc/mounts shows them, unknown and removed ones are EINVAL', () => {
    const ext4 = extFileSystemType(frames, 'ext4');
    const shown = (o: string) => {
      const fs = ext4.mount(request(fixtureImage(), o));
      return typeof fs === 'number' ? fs : ext4.showOptions(fs);
    };
    expect(shown('')).toBe('');
    expect(shown('errors=remount-ro')).toBe(',errors=remount-ro');
    expect(shown('errors=continue')).toBe('');
    expect(shown('data=ordered')).toBe(',data=ordered');
    expect(shown('barrier=1')).toBe('');
    expect(shown('nodelalloc')).toBe(',nodelalloc');
    expect(shown('noload')).toBe(',norecovery');
    expect(shown('quota')).toBe(',quota,usrquota');
    expect(shown('commit=5')).toBe('');
    expect(shown('bogus')).toBe(-Errno.EINVAL);
    expect(shown('noacl')).toBe(-Errno.EINVAL);
    expect(shown('nouser_xattr')).toBe(-Errno.EINVAL);
    expect(shown('commit=abc')).toBe(-Errno.EINVAL);
    expect(shown('data=ordered,barrier=1,noacl')).toBe(-Errno.EINVAL);
  });

  it('feature checks: unknown incompat is EINVAL, unknown ro_compat is read-only only, a bad superblock checksum EBADMSG', () => {
    const ext4 = extFileSystemType(frames, 'ext4');
    const incompat = withFeature(0x60, 0x80000000);
    expect(ext4.mount(request(incompat))).toBe(-Errno.EINVAL);
    expect(ext4.mount(request(incompat, '', true))).toBe(-Errno.EINVAL);
    const roCompat = withFeature(0x64, 0x80000000);
    expect(ext4.mount(request(roCompat))).toBe(-Errno.EINVAL);
    const ro = ext4.mount(request(roCompat, '', true)) as FileSystem;
    expect(ro.readOnly).toBe(true);
    expect(ext4.reconfigure(ro, request(roCompat, '', false))).toBe(-Errno.EROFS);
    const bad = fixtureImage();
    bad[1024 + 0x3fc]! ^= 1;
    expect(ext4.mount(request(bad))).toBe(-Errno.EBADMSG);
    const notExt = new Uint8Array(2 * 1024 * 1024);
    expect(ext4.mount(request(notExt))).toBe(-Errno.EINVAL);
  });

  it('needs_recovery with an empty journal mounts read-write, the flag cleared (recovery of nothing)', () => {
    const ext4 = extFileSystemType(frames, 'ext4');
    const image = withFeature(0x60, 0x4);
    const fs = ext4.mount(request(image)) as FileSystem;
    expect(fs.readOnly).toBe(false);
    expect(fs.sync!()).toBe(0);
    expect(new DataView(image.buffer, 1024, 1024).getUint32(0x60, true) & 0x4).toBe(0);
  });

  it('a read-only mount answers EROFS to changes; remounting read-write allows them', () => {
    const ext4 = extFileSystemType(frames, 'ext4');
    const image = fixtureImage();
    const fs = ext4.mount(request(image, '', true)) as FileSystem;
    const attrs = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
    expect(fs.create!(fs.root(), 'x', attrs)).toBe(-Errno.EROFS);
    expect(ext4.reconfigure(fs, request(image, '', false))).toBe(0);
    expect(typeof fs.create!(fs.root(), 'x', attrs)).toBe('object');
    expect(ext4.reconfigure(fs, request(image, '', true))).toBe(0);
    expect(fs.mkdir!(fs.root(), 'y', { ...attrs, mode: S.S_IFDIR | 0o755 })).toBe(-Errno.EROFS);
  });
});
