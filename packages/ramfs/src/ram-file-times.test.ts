import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { FALLOC_FL, O, PAGE_SIZE } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { RamFs, type RamFile } from './index';

// Each expectation below was first seen on Linux 6.18 /dev/shm (tmpfs,
// relatime) with a C program comparing fstat times around each call.

function setup() {
  const clock = { now: 1000 };
  const fs = new RamFs({ frames: new ArenaFrameAllocator({ frames: 32 }), clock: () => clock.now });
  const vfs = new Vfs(fs);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  expect(vfs.mkdir(root, '/tmp', 0o1777)).toBe(0);
  const f = vfs.open(root, '/tmp/f', O.O_CREAT | O.O_RDWR, 0o644);
  if (typeof f === 'number') throw new Error(`open: ${f}`);
  const file = f.inode as RamFile;
  /** Advance the clock and report which times `step` moved. */
  const moved = (step: () => unknown): string => {
    const before = [file.atime, file.mtime, file.ctime];
    clock.now += 1000;
    step();
    const after = [file.atime, file.mtime, file.ctime];
    return ['atime', 'mtime', 'ctime'].filter((_, i) => after[i] !== before[i]).join(' ') || 'none';
  };
  return { clock, vfs, root, f, file, moved };
}

function reopen(vfs: Vfs, task: FsTask, flags: number): OpenFileDescription {
  const g = vfs.open(task, '/tmp/f', flags, 0);
  if (typeof g === 'number') throw new Error(`open: ${g}`);
  return g;
}

describe('RamFile times as tmpfs', () => {
  it('ftruncate and open(O_TRUNC) move mtime and ctime even at the same size; truncate(2) only when the size changes', () => {
    const { vfs, root, f, moved } = setup();
    expect(f.pwrite(new Uint8Array(5), 0, 5, 0)).toBe(5);
    expect(moved(() => expect(f.truncate(5, root.cred)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(f.truncate(PAGE_SIZE, root.cred)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(vfs.truncate(root, '/tmp/f', PAGE_SIZE)).toBe(0))).toBe('none');
    expect(moved(() => expect(vfs.truncate(root, '/tmp/f', 10)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => reopen(vfs, root, O.O_RDWR | O.O_TRUNC).decRef())).toBe('mtime ctime');
    expect(moved(() => reopen(vfs, root, O.O_RDWR | O.O_TRUNC).decRef())).toBe('mtime ctime'); // already empty
    expect(moved(() => expect(vfs.chmod(root, '/tmp/f', 0o600)).toBe(0))).toBe('ctime');
    f.decRef();
  });

  it('every successful fallocate moves mtime and ctime, KEEP_SIZE past EOF and punching past EOF included', () => {
    const { f, moved } = setup();
    const { FALLOC_FL_KEEP_SIZE: KEEP, FALLOC_FL_PUNCH_HOLE: PUNCH } = FALLOC_FL;
    expect(moved(() => expect(f.inode.fallocate!(0, 0, 4 * PAGE_SIZE)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(f.inode.fallocate!(0, 0, PAGE_SIZE)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(f.inode.fallocate!(KEEP, 0, 16 * PAGE_SIZE)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(f.inode.fallocate!(KEEP | PUNCH, 0, PAGE_SIZE)).toBe(0))).toBe('mtime ctime');
    expect(moved(() => expect(f.inode.fallocate!(KEEP | PUNCH, 64 * PAGE_SIZE, PAGE_SIZE)).toBe(0))).toBe('mtime ctime');
    f.decRef();
  });

  it('a shared write fault moves mtime and ctime (no page_mkwrite on tmpfs); a read fault moves nothing', () => {
    const { root, f, file, moved } = setup();
    expect(f.truncate(3 * PAGE_SIZE, root.cred)).toBe(0);
    expect(moved(() => expect(file.translate(0, false)).toBeGreaterThanOrEqual(0))).toBe('none');
    expect(moved(() => expect(file.translate(PAGE_SIZE, true)).toBeGreaterThanOrEqual(0))).toBe('mtime ctime');
    f.decRef();
  });

  it('mapping a file moves the access time by relatime, unless O_NOATIME', () => {
    const { vfs, root, f, file, moved } = setup();
    expect(f.pwrite(new Uint8Array(5), 0, 5, 0)).toBe(5);
    const noatime = reopen(vfs, root, O.O_RDONLY | O.O_NOATIME);
    expect(moved(() => noatime.fileAccessed())).toBe('none');
    expect(moved(() => f.fileAccessed())).toBe('atime'); // atime <= mtime
    expect(moved(() => f.fileAccessed())).toBe('none'); // newer than mtime and ctime
    expect(file.atime).toBeGreaterThan(file.mtime);
    noatime.decRef();
    f.decRef();
  });

  it('setattr applies utimensat times; the change time moves with them', () => {
    const { clock, f, file, moved } = setup();
    expect(moved(() => expect(file.setattr({ atime: 5, mtime: 'now' })).toBe(0))).toBe('atime mtime ctime');
    expect([file.atime, file.mtime, file.ctime]).toEqual([5, clock.now, clock.now]);
    expect(moved(() => expect(file.setattr({ mtime: 7 })).toBe(0))).toBe('mtime ctime');
    expect(file.mtime).toBe(7);
    f.decRef();
  });
});
