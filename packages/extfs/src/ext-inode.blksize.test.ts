import { O } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import type { ExtFlavour } from './ext-fs';
import { haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage } from './testing/mounted';

/**
 * st_blksize on Linux 6.x, measured with `stat -c %o` on loop-mounted images
 * made by `mkfs.ext4 -b N` / `mkfs.ext2 -b 1024` (the root, a directory, a
 * file, a fifo and a symlink all answer N), and on tmpfs and ramfs (4096).
 */
const HOST: readonly { flavour: ExtFlavour; args: string[]; blksize: number }[] = [
  { flavour: 'ext4', args: ['-t', 'ext4', '-b', '1024'], blksize: 1024 },
  { flavour: 'ext4', args: ['-t', 'ext4', '-b', '2048'], blksize: 2048 },
  { flavour: 'ext4', args: ['-t', 'ext4', '-b', '4096'], blksize: 4096 },
  { flavour: 'ext2', args: ['-t', 'ext2', '-b', '1024'], blksize: 1024 },
];

describe('st_blksize is the block size (generic_fillattr, i_blkbits from the superblock)', () => {
  it.skipIf(!haveE2fsprogs)('every inode of an ext2/ext4 image reports its block size; ramfs keeps the page size', () => {
    const { dir, cleanup } = scratch();
    try {
      for (const { flavour, args, blksize } of HOST) {
        const frames = new ArenaFrameAllocator({ bytes: 16 * 1024 * 1024 });
        const { fs } = mountImage(makeImage(dir, 8192, args), flavour, false, frames);
        const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
        expect(vfs.mountCreating('/mnt', fs)).toBe(0);
        const task: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
        expect(vfs.mkdir(task, '/mnt/d', 0o755)).toBe(0);
        const f = vfs.open(task, '/mnt/f', O.O_RDWR | O.O_CREAT, 0o644);
        if (typeof f === 'number') throw new Error(`open: ${f}`);
        expect(vfs.symlink(task, 'f', '/mnt/l')).toBe(0);
        const r = vfs.open(task, '/r', O.O_RDWR | O.O_CREAT, 0o644);
        if (typeof r === 'number') throw new Error(`open: ${r}`);
        const sizes = ['/mnt', '/mnt/d', '/mnt/f'].map((p) => vfs.stat(task, p, true));
        sizes.push(vfs.stat(task, '/mnt/l', false), f.stat());
        expect(sizes.map((s) => (typeof s === 'number' ? s : s.blksize))).toEqual([blksize, blksize, blksize, blksize, blksize]);
        expect(r.stat().blksize).toBe(4096);
        f.decRef();
        r.decRef();
      }
    } finally {
      cleanup();
    }
  });
});
