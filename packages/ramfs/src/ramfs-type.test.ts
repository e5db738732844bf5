import { Errno, S } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import type { FileSystem, FsRequest } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { RamFs } from './ramfs';
import { ramfsType } from './ramfs-type';

function request(parameters: FsRequest['parameters'], readOnly = false): FsRequest {
  return { source: 'x', parameters, readOnly, uid: 1000, gid: 100 };
}

// Host Linux 6.18: mount -t ramfs -o bogus=1,mode=700 succeeds and shows ",mode=700"; mode=abc is EINVAL.
describe('the ramfs type', () => {
  const t = ramfsType(new ArenaFrameAllocator({ bytes: 16 * 4096 }));

  it('ignores options it does not know and takes mode=; the root belongs to the caller', () => {
    const fs = t.mount(request([{ key: 'bogus', value: '1' }, { key: 'mode', value: '700' }])) as FileSystem;
    expect(fs.root().mode).toBe(S.S_IFDIR | 0o700);
    expect([fs.root().uid, fs.root().gid]).toEqual([1000, 100]);
    expect(t.showOptions(fs)).toBe(',mode=700');
    expect(t.showOptions(t.mount(request([])) as FileSystem)).toBe('');
  });

  it('a bad mode is EINVAL, at mount and at remount; a remount may make it read-only', () => {
    expect(t.mount(request([{ key: 'mode', value: 'abc' }]))).toBe(-Errno.EINVAL);
    const fs = t.mount(request([])) as FileSystem;
    expect(t.reconfigure(fs, request([{ key: 'mode', value: 'abc' }]))).toBe(-Errno.EINVAL);
    expect(t.reconfigure(fs, request([], true))).toBe(0);
    expect(fs.readOnly).toBe(true);
  });

  it("makes files with ramfs's operations: fallocate is absent (EOPNOTSUPP), as on a Linux ramfs mount", () => {
    const fs = t.mount(request([])) as RamFs;
    expect(fs.shmem).toBe(false);
    expect(new RamFs({ frames: new ArenaFrameAllocator({ frames: 4 }) }).shmem).toBe(true);
  });
});
