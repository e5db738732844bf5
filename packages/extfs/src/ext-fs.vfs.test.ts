import { O } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { fixtureImage } from './testing/fixture';
import { fsck, haveE2fsprogs } from './testing/host-tools';
import { mountImage } from './testing/mounted';

function open(vfs: Vfs, task: FsTask, path: string, flags: number): OpenFileDescription {
  const f = vfs.open(task, path, flags, 0o644);
  if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
  return f;
}

describe('through the VFS (paths, open files, unlink of an open file)', () => {
  it('files, directories and names behave as on Linux, and the image stays clean', () => {
    const frames = new ArenaFrameAllocator({ bytes: 32 * 1024 * 1024 });
    const { fs, device } = mountImage(fixtureImage(), 'ext4', false, frames);
    const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
    expect(vfs.mountCreating('/mnt', fs)).toBe(0);
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };

    expect(vfs.mkdir(root, '/mnt/d', 0o755)).toBe(0);
    const f = open(vfs, root, '/mnt/d/file', O.O_RDWR | O.O_CREAT | O.O_TRUNC);
    expect(f.write(new Uint8Array(5000).fill(7), 0, 5000)).toBe(5000);
    expect(f.truncate(3000, root.cred)).toBe(0);
    const st = vfs.stat(root, '/mnt/d/file', true);
    if (typeof st === 'number') throw new Error('stat');
    expect(st.size).toBe(3000);
    expect(st.blocks).toBe(6); // three 1 KiB blocks
    expect(vfs.rename(root, '/mnt/d/file', '/mnt/moved')).toBe(0);
    expect(vfs.stat(root, '/mnt/d/file', true)).toBe(-2);
    // Unlinked while open: the data lives until the last close.
    expect(vfs.unlink(root, '/mnt/moved')).toBe(0);
    const back = new Uint8Array(3000);
    expect(f.pread(back, 0, 3000, 0)).toBe(3000);
    expect(back.every((b) => b === 7)).toBe(true);
    const freeBefore = fs.statfs().freeBlocks;
    f.decRef();
    expect(fs.statfs().freeBlocks).toBe(freeBefore + 3);
    expect(vfs.symlink(root, '../hello', '/mnt/d/up')).toBe(0);
    expect(vfs.readlink(root, '/mnt/d/up')).toBe('../hello');
    const viaLink = open(vfs, root, '/mnt/d/up', O.O_RDONLY);
    const text = new Uint8Array(64);
    const n = viaLink.read(text, 0, 64);
    expect(Buffer.from(text.subarray(0, n)).toString()).toBe('hello from a committed ext4 image\n');
    viaLink.decRef();
    expect(vfs.rmdir(root, '/mnt/d')).toBe(-39);
    expect(vfs.unlink(root, '/mnt/d/up')).toBe(0);
    expect(vfs.rmdir(root, '/mnt/d')).toBe(0);
    const sf = vfs.statfs(root, '/mnt');
    if (typeof sf === 'number') throw new Error('statfs');
    expect(sf.type).toBe(0xef53);
    expect(sf.bsize).toBe(1024);
    expect(fs.sync()).toBe(0);
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
  });
});
