import { Errno, FALLOC_FL, FS_MAGIC, O, PAGE_SIZE } from '@tskern/abi';
import { ArenaFrameAllocator, LimitedFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { Credentials, fallocateFile, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { RamFs, type RamFile } from './index';
import { RecordingSpace } from '@tskern/test-kit';

const { FALLOC_FL_KEEP_SIZE: KEEP, FALLOC_FL_PUNCH_HOLE: PUNCH, FALLOC_FL_ZERO_RANGE: ZERO } = FALLOC_FL;

function setup(type = 'tmpfs', frames: FrameAllocator = new ArenaFrameAllocator({ frames: 64 })) {
  const fs = new RamFs({ frames, type });
  const vfs = new Vfs(fs);
  const task: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const f = vfs.open(task, '/f', O.O_CREAT | O.O_RDWR, 0o644) as OpenFileDescription;
  return { fs, vfs, task, f, file: f.inode as RamFile, frames };
}

describe('fallocate on tmpfs (shmem_fallocate)', () => {
  it('mode 0 allocates and extends; KEEP_SIZE allocates without extending', () => {
    const { f, file } = setup();
    expect(fallocateFile(f, 0, 0, 10_000)).toBe(0);
    expect(file.size()).toBe(10_000);
    expect(file.blocks()).toBe(24);
    expect(fallocateFile(f, KEEP, 0, 8192)).toBe(0);
    expect(file.size()).toBe(10_000);
    expect(fallocateFile(f, ZERO, 0, 1)).toBe(-Errno.EOPNOTSUPP);
    f.decRef();
  });

  it('a range larger than the free frames is ENOSPC at once, without walking its pages (raw fuzzer seed 60605: 128 TiB hung)', () => {
    const { f, file } = setup();
    expect(f.pwrite(new Uint8Array(10).fill(1), 0, 10, 0)).toBe(10);
    // 2^46 bytes at 2^46: 2^34 pages, far past the 64-frame arena.
    expect(fallocateFile(f, 0, 2 ** 46, 2 ** 46)).toBe(-Errno.ENOSPC);
    expect(fallocateFile(f, KEEP, 0, 2 ** 46)).toBe(-Errno.ENOSPC);
    expect(file.size()).toBe(10);
    expect(file.residentPages()).toBe(1);
    f.decRef();
  });

  it('PUNCH_HOLE|KEEP_SIZE frees whole pages, zeroes partial ones and invalidates mappings', () => {
    const { f, file, frames } = setup();
    const data = new Uint8Array(3 * PAGE_SIZE).fill(7);
    expect(f.pwrite(data, 0, data.length, 0)).toBe(data.length);
    const space = new RecordingSpace(file, frames, () => file.residentPages());
    file.addMapping(space, 0x10000, 0x13000, 0, true);
    expect(space.fault(0x11000, PAGE_SIZE)).toBeGreaterThanOrEqual(0);
    expect(fallocateFile(f, PUNCH | KEEP, 100, 2 * PAGE_SIZE)).toBe(0);
    expect(file.size()).toBe(3 * PAGE_SIZE);
    expect(file.residentPages()).toBe(2);
    expect(space.ptes.has(0x11000)).toBe(false);
    const back = new Uint8Array(3 * PAGE_SIZE);
    f.pread(back, 0, back.length, 0);
    expect(back[99]).toBe(7);
    expect(back[100]).toBe(0);
    expect(back[2 * PAGE_SIZE + 99]).toBe(0);
    expect(back[2 * PAGE_SIZE + 100]).toBe(7);
    file.removeMapping(space, 0x10000, 0x13000, 0, true);
    f.decRef();
  });

  it('ENOSPC with nothing changed when the frames run out', () => {
    const { f, file } = setup('tmpfs', new LimitedFrameAllocator(new ArenaFrameAllocator({ frames: 64 }), { maxFrames: 4 }));
    expect(fallocateFile(f, 0, 0, 5 * PAGE_SIZE)).toBe(-Errno.ENOSPC);
    expect(file.size()).toBe(0);
    expect(file.residentPages()).toBe(0);
    expect(fallocateFile(f, 0, 0, 4 * PAGE_SIZE)).toBe(0);
    f.decRef();
  });
});

describe('statfs of ramfs and tmpfs', () => {
  it('ramfs reports its magic and no limits; tmpfs its magic and the frames', () => {
    const ram = setup('ramfs');
    const r = ram.vfs.statfs(ram.task, '/f');
    expect(typeof r === 'object' && [r.type, r.blocks, r.bsize, r.namelen]).toEqual([FS_MAGIC.RAMFS_MAGIC, 0, 4096, 255]);
    const tmp = setup('tmpfs');
    tmp.f.pwrite(new Uint8Array(10), 0, 10, 0);
    const t = tmp.vfs.statfs(tmp.task, '/');
    expect(typeof t === 'object' && [t.type, t.blocks, t.bfree]).toEqual([FS_MAGIC.TMPFS_MAGIC, 64, 63]);
    ram.f.decRef();
    tmp.f.decRef();
  });

  it('link gives a ramfs file a second name', () => {
    const { vfs, task, file, f } = setup('ramfs');
    expect(vfs.link(task, '/f', '/g')).toBe(0);
    expect(file.nlink).toBe(2);
    f.decRef();
  });
});
