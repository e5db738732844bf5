import { O, PAGE_SIZE } from '@tskern/abi';
import { ArenaFrameAllocator, isFrame } from '@tskern/pagealloc';
import { RamFs, type RamFile } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { FileMappingHandle, FileMappingRegistry } from './index';

function setup() {
  const frames = new ArenaFrameAllocator({ frames: 32 });
  const fs = new RamFs({ frames });
  const registry = new FileMappingRegistry();
  const vfs = new Vfs(fs, { mappingIdentities: registry });
  const task: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  expect(vfs.mkdir(root, '/tmp', 0o777)).toBe(0);
  expect(vfs.chmod(root, '/tmp', 0o1777)).toBe(0);
  const open = (path: string, flags: number): OpenFileDescription => {
    const f = vfs.open(task, path, flags, 0o644);
    if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
    return f;
  };
  return { frames, fs, registry, vfs, task, open };
}

function source(f: OpenFileDescription) {
  const s = f.mmapSource();
  if (typeof s === 'number') throw new Error(`mmapSource: ${s}`);
  return s;
}

describe('FileMappingHandle', () => {
  it('a file unlinked and closed while a handle holds it stays readable through the handle, named (deleted)', () => {
    const { frames, vfs, task, open } = setup();
    const f = open('/tmp/seg', O.O_CREAT | O.O_RDWR);
    f.write(new TextEncoder().encode('persist'), 0, 7);
    const src = source(f);
    src.identity!.incRef(); // a VMA takes its reference
    expect(src.identity!.mappedName()).toBe('/tmp/seg');
    f.decRef(); // close
    expect(vfs.unlink(task, '/tmp/seg')).toBe(0);
    expect(src.identity!.mappedName()).toBe('/tmp/seg (deleted)');
    const frame = src.mappable!.translate(0, false);
    if (!isFrame(frame)) throw new Error(`translate gave no frame (${frame})`);
    const off = frames.offset(frame);
    expect(new TextDecoder().decode(frames.memory(frame).subarray(off, off + 7))).toBe('persist');
    expect(frames.stats().usedFrames).toBe(1);
    src.identity!.decRef(); // the last unmap
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('follows renames and reports dev/ino; sync is 0 for ramfs', () => {
    const { vfs, task, open } = setup();
    const f = open('/tmp/a', O.O_CREAT | O.O_RDWR);
    const id = source(f).identity!;
    expect(vfs.mkdir(task, '/tmp/d', 0o755)).toBe(0);
    expect(vfs.rename(task, '/tmp/a', '/tmp/d/b')).toBe(0);
    expect(id.mappedName()).toBe('/tmp/d/b');
    expect(id.deviceId()).toBe(f.inode.fs.deviceId);
    expect(id.inodeId()).toBe(f.inode.ino);
    expect(id.sync(0, PAGE_SIZE)).toBe(0);
  });

  it('one handle per inode, whatever the descriptor; it holds one inode reference while used', () => {
    const { registry, open } = setup();
    const f = open('/tmp/a', O.O_CREAT | O.O_RDWR);
    const g = open('/tmp/a', O.O_RDONLY);
    const a = source(f).identity as FileMappingHandle;
    const b = source(g).identity;
    expect(a).toBe(b);
    expect(registry.handleOf(f.inode)).toBe(a);
    const inode = f.inode as RamFile;
    expect(inode.refCount).toBe(2);
    a.incRef();
    a.incRef();
    expect(inode.refCount).toBe(3);
    a.decRef();
    a.decRef();
    expect(inode.refCount).toBe(2);
    expect(() => a.decRef()).toThrow();
  });

  it('MmapSource access follows the descriptor: O_RDONLY is not writable, O_WRONLY not readable', () => {
    const { open } = setup();
    open('/tmp/a', O.O_CREAT | O.O_RDWR);
    expect(source(open('/tmp/a', O.O_RDONLY))).toMatchObject({ readable: true, writable: false });
    expect(source(open('/tmp/a', O.O_WRONLY))).toMatchObject({ readable: false, writable: true });
    expect(source(open('/tmp/a', O.O_RDWR))).toMatchObject({ readable: true, writable: true });
  });

  it('frames go back when the last of link, open file and mapping handle goes, in any order', () => {
    const orders = [
      ['unlink', 'close', 'unmap'],
      ['unmap', 'unlink', 'close'],
      ['close', 'unmap', 'unlink'],
    ];
    for (const order of orders) {
      const { frames, vfs, task, open } = setup();
      const f = open('/tmp/x', O.O_CREAT | O.O_RDWR);
      f.write(new Uint8Array(2 * PAGE_SIZE), 0, 2 * PAGE_SIZE);
      const id = source(f).identity!;
      id.incRef();
      order.forEach((step, i) => {
        expect(frames.stats().usedFrames).toBe(2);
        if (step === 'unlink') expect(vfs.unlink(task, '/tmp/x')).toBe(0);
        if (step === 'close') f.decRef();
        if (step === 'unmap') id.decRef();
        expect(frames.stats().usedFrames).toBe(i === 2 ? 0 : 2);
      });
    }
  });

  it('an anonymous handle has a fixed name', () => {
    const { open } = setup();
    const f = open('/tmp/a', O.O_CREAT | O.O_RDWR);
    const h = FileMappingHandle.anonymous(f.inode, '/dev/zero');
    expect(h.mappedName()).toBe('/dev/zero (deleted)');
  });

  it('an unused handle takes the name of the descriptor it is next mapped through', () => {
    const { vfs, task, open } = setup();
    const f = open('/tmp/a', O.O_CREAT | O.O_RDWR);
    const id = source(f).identity!;
    // a second name for the same inode, reached through a new mount-free path: a rename
    expect(vfs.rename(task, '/tmp/a', '/tmp/b')).toBe(0);
    const g = open('/tmp/b', O.O_RDONLY);
    expect(source(g).identity).toBe(id);
    expect(id.mappedName()).toBe('/tmp/b');
  });
});
