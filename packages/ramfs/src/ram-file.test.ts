import { Credentials, fallocateFile, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { Errno, FALLOC_FL, O, PAGE_SIZE, S, SEEK } from '@tskern/abi';
import { TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type TranslateResult } from '@tskern/mm-api';
import { ArenaFrameAllocator, isFrame, LimitedFrameAllocator, PG, type FrameAllocator } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { RamFile, RamFs } from './index';
import { decodeText, encodeText, RecordingSpace } from '@tskern/test-kit';


// Files with tmpfs's operations (the default); `ramfsFileOperations` gives
// mount(2)'s ramfs ones (see the ramfs tests below).
function setup(frames: FrameAllocator = new ArenaFrameAllocator({ frames: 64 }), ramfsFileOperations = false) {
  const fs = new RamFs({ frames, ramfsFileOperations });
  const vfs = new Vfs(fs);
  const task: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  expect(vfs.mkdir(root, '/tmp', 0o1777)).toBe(0);
  expect(vfs.chmod(root, '/tmp', 0o1777)).toBe(0);
  return { frames, fs, vfs, task };
}

function open(vfs: Vfs, task: FsTask, path: string, flags: number): OpenFileDescription {
  const f = vfs.open(task, path, flags, 0o644);
  if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
  return f;
}

/** The bytes of a frame translate() answered; a translate fault fails the test. */
function frameBytes(frames: FrameAllocator, frame: TranslateResult, from: number, len: number): Uint8Array {
  if (!isFrame(frame)) throw new Error(`test: translate gave no frame (${frame})`);
  const off = frames.offset(frame);
  return frames.memory(frame).subarray(off + from, off + from + len);
}

describe('RamFile as its own page cache', () => {
  it('write() lands in the very frame translate() hands out, and stores there are read back', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    expect(f.pwrite(encodeText('hello'), 0, 5, PAGE_SIZE + 10)).toBe(5);
    const frame = file.translate(PAGE_SIZE, false);
    expect(frame).toBeGreaterThanOrEqual(0);
    expect(decodeText(frameBytes(frames, frame, 10, 5))).toBe('hello');
    // A store through the "mapping" is what read() returns next: no copy anywhere.
    frameBytes(frames, frame, 10, 1).set(encodeText('J'));
    const buf = new Uint8Array(5);
    expect(f.pread(buf, 0, 5, PAGE_SIZE + 10)).toBe(5);
    expect(decodeText(buf)).toBe('Jello');
    expect(file.translate(PAGE_SIZE, true)).toBe(frame);
  });

  it('holes take no frames, read as zeros, and a translate fills them with a zeroed frame', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    expect(f.truncate(10 * PAGE_SIZE, task.cred)).toBe(0);
    expect(frames.stats().usedFrames).toBe(0);
    expect(f.stat().blocks).toBe(0);
    expect(f.pwrite(encodeText('x'), 0, 1, 5 * PAGE_SIZE)).toBe(1);
    expect(frames.stats().usedFrames).toBe(1);
    expect(f.stat()).toMatchObject({ size: 10 * PAGE_SIZE, blocks: PAGE_SIZE / 512, nlink: 1, mode: S.S_IFREG | 0o644 });
    const buf = new Uint8Array(8).fill(7);
    expect(f.pread(buf, 0, 8, 2 * PAGE_SIZE)).toBe(8);
    expect([...buf]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(file.isResident(2 * PAGE_SIZE)).toBe(false);
    const frame = file.translate(2 * PAGE_SIZE, false);
    expect(frameBytes(frames, frame, 0, PAGE_SIZE).every((b) => b === 0)).toBe(true);
    expect(file.isResident(2 * PAGE_SIZE)).toBe(true);
  });

  it('translate: SIGBUS for a page wholly past EOF, the EOF page works', () => {
    const { vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    expect(file.translate(0, false)).toBe(TRANSLATE_SIGBUS);
    expect(f.write(encodeText('abc'), 0, 3)).toBe(3);
    expect(file.translate(0, false)).toBeGreaterThanOrEqual(0);
    expect(file.translate(PAGE_SIZE, false)).toBe(TRANSLATE_SIGBUS);
    expect(f.truncate(PAGE_SIZE + 1, task.cred)).toBe(0);
    expect(file.translate(PAGE_SIZE, true)).toBeGreaterThanOrEqual(0);
    expect(file.size()).toBe(PAGE_SIZE + 1);
  });

  it('translate: NOMEM when a hole needs a frame and none is left; writes go short then ENOSPC', () => {
    const frames = new LimitedFrameAllocator(new ArenaFrameAllocator({ frames: 16 }), { maxFrames: 2 });
    const { vfs, task } = setup(frames);
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    const big = new Uint8Array(3 * PAGE_SIZE).fill(1);
    expect(f.write(big, 0, big.length)).toBe(2 * PAGE_SIZE);
    expect(f.write(big, 0, 10)).toBe(-Errno.ENOSPC);
    expect(f.truncate(4 * PAGE_SIZE, task.cred)).toBe(0);
    expect(file.translate(3 * PAGE_SIZE, false)).toBe(TRANSLATE_NOMEM);
    expect(f.stat().size).toBe(4 * PAGE_SIZE);
  });

  it('SEEK_DATA/SEEK_HOLE follow resident pages', () => {
    const { vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    expect(f.truncate(4 * PAGE_SIZE + 100, task.cred)).toBe(0);
    expect(f.pwrite(encodeText('d'), 0, 1, 2 * PAGE_SIZE + 5)).toBe(1);
    expect(f.lseek(0, SEEK.SEEK_DATA)).toBe(2 * PAGE_SIZE);
    expect(f.lseek(2 * PAGE_SIZE + 9, SEEK.SEEK_DATA)).toBe(2 * PAGE_SIZE + 9);
    expect(f.lseek(2 * PAGE_SIZE, SEEK.SEEK_HOLE)).toBe(3 * PAGE_SIZE);
    expect(f.lseek(0, SEEK.SEEK_HOLE)).toBe(0);
    expect(f.lseek(3 * PAGE_SIZE, SEEK.SEEK_DATA)).toBe(-Errno.ENXIO);
    expect(f.lseek(4 * PAGE_SIZE + 100, SEEK.SEEK_HOLE)).toBe(-Errno.ENXIO);
  });
});

describe('ramfs files, unlike tmpfs ones', () => {
  // fs/ramfs/file-mmu.c: ramfs_file_operations have no fallocate and seek
  // with generic_file_llseek. Checked on Linux 6.18 with a ramfs mount:
  // fallocate and MADV_REMOVE give EOPNOTSUPP, SEEK_DATA returns the offset.
  it('have no fallocate or hole punching (EOPNOTSUPP) and are data all through for SEEK_DATA/SEEK_HOLE', () => {
    const { vfs, task, frames } = setup(undefined, true);
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    expect(f.truncate(4 * PAGE_SIZE + 100, task.cred)).toBe(0);
    const used = frames.stats().usedFrames;
    expect(fallocateFile(f, 0, 0, PAGE_SIZE)).toBe(-Errno.EOPNOTSUPP);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, 0, PAGE_SIZE)).toBe(-Errno.EOPNOTSUPP);
    expect((f.inode as RamFile).punchHole(0, PAGE_SIZE)).toBe(-Errno.EOPNOTSUPP);
    expect(frames.stats().usedFrames).toBe(used);
    expect(f.lseek(PAGE_SIZE, SEEK.SEEK_DATA)).toBe(PAGE_SIZE);
    expect(f.lseek(PAGE_SIZE, SEEK.SEEK_HOLE)).toBe(4 * PAGE_SIZE + 100);
    expect(f.lseek(4 * PAGE_SIZE + 100, SEEK.SEEK_DATA)).toBe(-Errno.ENXIO);
  });
});

describe('truncate and hole punching with mappings', () => {
  it('a shrinking truncate invalidates every mapping past the new EOF, private copies included, before freeing frames', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    expect(f.write(new Uint8Array(4 * PAGE_SIZE).fill(0x61), 0, 4 * PAGE_SIZE)).toBe(4 * PAGE_SIZE);
    const a = new RecordingSpace(file, frames, () => file.residentPages());
    const b = new RecordingSpace(file, frames, () => file.residentPages());
    const A = 0x100000;
    const B = 0x200000;
    file.addMapping(a, A, A + 4 * PAGE_SIZE, 0, true);
    file.addMapping(b, B, B + 2 * PAGE_SIZE, 2 * PAGE_SIZE, false); // maps file pages 2..3
    for (let p = 0; p < 4; p++) a.fault(A + p * PAGE_SIZE, p * PAGE_SIZE);
    b.fault(B, 2 * PAGE_SIZE);
    expect(f.truncate(PAGE_SIZE + 100, task.cred)).toBe(0);
    // holebegin = page 2: a loses [A+2p, A+4p), b all of its range.
    expect(a.calls).toEqual([{ start: A + 2 * PAGE_SIZE, end: A + 4 * PAGE_SIZE, invalidatePrivate: true, residentAtCall: 4 }]);
    expect(b.calls).toEqual([{ start: B, end: B + 2 * PAGE_SIZE, invalidatePrivate: true, residentAtCall: 4 }]);
    expect(file.residentPages()).toBe(2);
    // The EOF page stays mapped and its tail reads zero through the mapping.
    const eof = a.ptes.get(A + PAGE_SIZE)!;
    expect(frameBytes(frames, eof, 99, 2)).toEqual(new Uint8Array([0x61, 0]));
    expect(file.translate(2 * PAGE_SIZE, false)).toBe(TRANSLATE_SIGBUS);
    a.unmapAll();
    b.unmapAll();
    expect(frames.stats().usedFrames).toBe(2);
  });

  it('growing does not invalidate; growing again after a shrink reads zeros', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    const a = new RecordingSpace(file, frames, () => file.residentPages());
    file.addMapping(a, 0, 2 * PAGE_SIZE, 0, true);
    expect(f.write(new Uint8Array(PAGE_SIZE).fill(9), 0, PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(f.truncate(2 * PAGE_SIZE, task.cred)).toBe(0);
    expect(a.calls).toEqual([]);
    expect(f.truncate(10, task.cred)).toBe(0);
    expect(f.truncate(PAGE_SIZE, task.cred)).toBe(0);
    const buf = new Uint8Array(PAGE_SIZE);
    f.pread(buf, 0, PAGE_SIZE, 0);
    expect(buf.subarray(0, 10).every((x) => x === 9) && buf.subarray(10).every((x) => x === 0)).toBe(true);
    file.removeMapping(a, 0, 2 * PAGE_SIZE, 0, true);
    expect(file.mappingCount).toBe(0);
  });

  it('punchHole frees pages for everyone and invalidates mappings, keeping private copies', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    f.write(new Uint8Array(3 * PAGE_SIZE).fill(5), 0, 3 * PAGE_SIZE);
    const a = new RecordingSpace(file, frames, () => file.residentPages());
    file.addMapping(a, 0x10000, 0x10000 + 3 * PAGE_SIZE, 0, true);
    expect(file.punchHole(PAGE_SIZE, PAGE_SIZE)).toBe(0);
    expect(a.calls).toEqual([{ start: 0x10000 + PAGE_SIZE, end: 0x10000 + 2 * PAGE_SIZE, invalidatePrivate: false, residentAtCall: 3 }]);
    expect(file.residentPages()).toBe(2);
    expect(file.size()).toBe(3 * PAGE_SIZE);
    const buf = new Uint8Array(1);
    f.pread(buf, 0, 1, PAGE_SIZE);
    expect(buf[0]).toBe(0);
    expect(frames.stats().usedFrames).toBe(2);
  });
});

describe('inode lifetime', () => {
  it('frames return to the allocator only when links, open files and mapping references are all gone', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    f.write(new Uint8Array(3 * PAGE_SIZE).fill(1), 0, 3 * PAGE_SIZE);
    file.incRef(); // a mapping handle
    expect(frames.stats().usedFrames).toBe(3);
    f.decRef(); // close
    expect(frames.stats().usedFrames).toBe(3);
    expect(vfs.unlink(task, '/tmp/f')).toBe(0);
    expect(file.evicted).toBe(false);
    expect(frames.stats().usedFrames).toBe(3);
    file.decRef(); // last unmap
    expect(file.evicted).toBe(true);
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('unlink last, after close: frames go at the unlink', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    f.write(encodeText('data'), 0, 4);
    f.decRef();
    expect(frames.stats().usedFrames).toBe(1);
    expect(vfs.unlink(task, '/tmp/f')).toBe(0);
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('a replaced rename target and an O_TMPFILE file are freed too', () => {
    const { frames, vfs, task } = setup();
    const a = open(vfs, task, '/tmp/a', O.O_CREAT | O.O_RDWR);
    const b = open(vfs, task, '/tmp/b', O.O_CREAT | O.O_RDWR);
    a.write(encodeText('a'), 0, 1);
    b.write(encodeText('b'), 0, 1);
    a.decRef();
    b.decRef();
    expect(vfs.rename(task, '/tmp/a', '/tmp/b')).toBe(0);
    expect(frames.stats().usedFrames).toBe(1);
    const t = vfs.open(task, '/tmp', O.O_TMPFILE | O.O_RDWR, 0o600);
    if (typeof t === 'number') throw new Error(`O_TMPFILE: ${t}`);
    t.write(encodeText('t'), 0, 1);
    expect(t.stat().nlink).toBe(0);
    expect(vfs.displayPath(t.path)).toBe(`/tmp/#${t.inode.ino} (deleted)`);
    t.decRef();
    expect(frames.stats().usedFrames).toBe(1);
    expect(vfs.unlink(task, '/tmp/b')).toBe(0);
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('fstat reports ino, nlink, mode and blocks', () => {
    const { vfs, task } = setup();
    const f = open(vfs, task, '/tmp/f', O.O_CREAT | O.O_RDWR);
    f.write(new Uint8Array(PAGE_SIZE + 1), 0, PAGE_SIZE + 1);
    const st = f.stat();
    expect(st).toMatchObject({ ino: f.inode.ino, nlink: 1, size: PAGE_SIZE + 1, blocks: 16, blksize: PAGE_SIZE, uid: 1000 });
    expect(st.ino).toBeGreaterThan(1);
  });
});

describe('SEEK_DATA/SEEK_HOLE on a huge sparse file', () => {
  it('answers at once, walking resident pages only (the fuzzer found a page-by-page walk that hung)', () => {
    const frames = new ArenaFrameAllocator({ frames: 16 });
    const vfs = new Vfs(new RamFs({ frames }));
    const task = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = vfs.open(task, '/big', O.O_CREAT | O.O_RDWR, 0o644);
    if (typeof f === 'number') throw new Error('open');
    expect(f.truncate(2 ** 50, task.cred)).toBe(0);
    expect(f.lseek(0, SEEK.SEEK_DATA)).toBe(-Errno.ENXIO);
    expect(f.lseek(0, SEEK.SEEK_HOLE)).toBe(0);
    expect(f.pwrite(new Uint8Array([1]), 0, 1, 2 ** 40)).toBe(1);
    expect(f.lseek(0, SEEK.SEEK_DATA)).toBe(2 ** 40);
    expect(f.lseek(2 ** 40, SEEK.SEEK_HOLE)).toBe(2 ** 40 + PAGE_SIZE);
  });
});

describe('RamFile times', () => {
  it('reads update the access time with relatime; O_NOATIME reads never; writes update mtime and ctime', () => {
    let now = 1000;
    const fs = new RamFs({ frames: new ArenaFrameAllocator({ frames: 16 }), clock: () => now });
    const vfs = new Vfs(fs);
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    expect(vfs.mkdir(root, '/tmp', 0o1777)).toBe(0);
    const f = open(vfs, root, '/tmp/f', O.O_CREAT | O.O_RDWR);
    const file = f.inode as RamFile;
    const times = () => [file.atime, file.mtime, file.ctime];
    now = 2000;
    expect(f.pwrite(encodeText('data'), 0, 4, 0)).toBe(4);
    expect(times()).toEqual([1000, 2000, 2000]);
    now = 3000;
    expect(f.pread(new Uint8Array(4), 0, 4, 0)).toBe(4); // atime <= mtime: updated
    expect(times()).toEqual([3000, 2000, 2000]);
    now = 4000;
    expect(f.pread(new Uint8Array(4), 0, 4, 0)).toBe(4); // newer than mtime and ctime: relatime keeps it
    expect(f.pread(new Uint8Array(4), 0, 0, 100)).toBe(0);
    expect(times()).toEqual([3000, 2000, 2000]);
    now = 3000 + 24 * 60 * 60 * 1000;
    expect(f.pread(new Uint8Array(4), 0, 0, 100)).toBe(0); // a day old: updated, even by an empty read past EOF (shmem)
    expect(file.atime).toBe(now);
    now += 1000;
    expect(f.pwrite(encodeText('x'), 0, 1, 0)).toBe(1);
    now += 1000;
    const g = open(vfs, root, '/tmp/f', O.O_RDONLY | O.O_NOATIME);
    expect(g.pread(new Uint8Array(1), 0, 1, 0)).toBe(1);
    expect(file.atime).toBe(now - 2000);
    expect(f.pread(new Uint8Array(1), 0, 1, 0)).toBe(1);
    expect(file.atime).toBe(now);
    g.decRef();
    f.decRef();
  });
});

describe('page flags (what /proc/kpageflags reports)', () => {
  const pageFlagsOf = (frames: FrameAllocator, frame: TranslateResult) => {
    if (!isFrame(frame)) throw new Error(`test: translate gave no frame (${frame})`);
    return frames.pageFlags(frame);
  };

  it('ramfs: a written page is dirty for good, a page a load faulted in is clean until a store faults it', () => {
    const { frames, vfs, task } = setup();
    const f = open(vfs, task, '/tmp/a', O.O_RDWR | O.O_CREAT);
    expect(f.write(encodeText('x'), 0, 1)).toBe(1);
    expect(f.truncate(3 * PAGE_SIZE, task.cred)).toBe(0);
    const file = f.inode as RamFile;
    expect(pageFlagsOf(frames, file.translate(0, false))).toBe(PG.UPTODATE | PG.DIRTY);
    expect(file.writeback()).toBe(0); // ramfs never writes back: still dirty
    expect(pageFlagsOf(frames, file.translate(0, false))).toBe(PG.UPTODATE | PG.DIRTY);
    expect(pageFlagsOf(frames, file.translate(PAGE_SIZE, false))).toBe(PG.UPTODATE);
    expect(pageFlagsOf(frames, file.translate(PAGE_SIZE, true))).toBe(PG.UPTODATE | PG.DIRTY);
  });

  it('tmpfs pages are shmem: swap-backed and on an LRU list', () => {
    const frames = new ArenaFrameAllocator({ frames: 8 });
    const vfs = new Vfs(new RamFs({ frames, type: 'tmpfs', rootMode: 0o1777 }));
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = open(vfs, root, '/a', O.O_RDWR | O.O_CREAT);
    expect(f.truncate(PAGE_SIZE, root.cred)).toBe(0);
    expect(pageFlagsOf(frames, (f.inode as RamFile).translate(0, false))).toBe(PG.UPTODATE | PG.SWAPBACKED | PG.LRU);
  });
});

describe('O_DIRECT (Linux 6.18: ramfs refuses it, tmpfs takes any position and length)', () => {
  it('ramfs: EINVAL at open and at F_SETFL', () => {
    const { vfs, task } = setup();
    expect(vfs.open(task, '/tmp/d', O.O_RDWR | O.O_CREAT | O.O_DIRECT, 0o644)).toBe(-Errno.EINVAL);
    const f = open(vfs, task, '/tmp/d', O.O_RDWR);
    expect(f.setFlags(O.O_DIRECT, task.cred)).toBe(-Errno.EINVAL);
  });

  it('tmpfs: unaligned direct reads and writes work', () => {
    const vfs = new Vfs(new RamFs({ frames: new ArenaFrameAllocator({ frames: 8 }), type: 'tmpfs', rootMode: 0o1777 }));
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = open(vfs, root, '/d', O.O_RDWR | O.O_CREAT | O.O_DIRECT);
    expect(f.pwrite(encodeText('hello'), 0, 5, 1)).toBe(5);
    const buf = new Uint8Array(3);
    expect(f.pread(buf, 0, 3, 2)).toBe(3);
    expect(decodeText(buf)).toBe('ell');
  });
});
