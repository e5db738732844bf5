import { Errno, O } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, Vfs, type FsTask } from './index';
import { BytesFile, MemFs } from './testing/mem-fs';
import { enc, openOk } from './testing/world';

/** A MemFs with direct I/O in `align`-byte steps (a block file system's logical block size). */
class DirectMemFs extends MemFs {
  constructor(readonly directIoAlignment: number) {
    super({ rootMode: 0o755 });
  }
}

function setup(fs: MemFs) {
  const vfs = new Vfs(fs);
  const root: FsTask = { fs: vfs.newFsContext(0o022), cred: Credentials.root() };
  const f = openOk(vfs, root, '/f', O.O_RDWR | O.O_CREAT, 0o644);
  expect(f.write(new Uint8Array(1024).fill(0x61), 0, 1024)).toBe(1024);
  return { vfs, root, file: f.inode as BytesFile };
}

describe('O_DIRECT', () => {
  it('is EINVAL at open and at F_SETFL on a file system without direct I/O, and on any directory (Linux 6.18 ramfs, ext4, tmpfs)', () => {
    const { vfs, root } = setup(new MemFs({ rootMode: 0o755 }));
    expect(vfs.open(root, '/f', O.O_RDONLY | O.O_DIRECT, 0)).toBe(-Errno.EINVAL);
    // O_CREAT made the file before do_dentry_open refused it
    expect(vfs.open(root, '/g', O.O_RDWR | O.O_CREAT | O.O_DIRECT, 0o644)).toBe(-Errno.EINVAL);
    expect(typeof vfs.stat(root, '/g', true)).toBe('object');
    const f = openOk(vfs, root, '/f');
    expect(f.setFlags(O.O_DIRECT, root.cred)).toBe(-Errno.EINVAL);
    expect(f.getFlags() & O.O_DIRECT).toBe(0);
    expect(f.setFlags(O.O_NONBLOCK, root.cred)).toBe(0);
    const direct = setup(new DirectMemFs(512));
    expect(direct.vfs.open(direct.root, '/', O.O_RDONLY | O.O_DIRECTORY | O.O_DIRECT, 0)).toBe(-Errno.EINVAL);
    // O_PATH drops O_DIRECT (build_open_how)
    expect(typeof vfs.open(root, '/f', O.O_PATH | O.O_DIRECT, 0)).toBe('object');
  });

  it('needs position and length in the file system\'s steps, a zero length excepted (ext4 on Linux 6.18: 512 bytes)', () => {
    const { vfs, root } = setup(new DirectMemFs(512));
    const f = openOk(vfs, root, '/f', O.O_RDWR | O.O_DIRECT);
    expect(f.getFlags() & O.O_DIRECT).toBe(O.O_DIRECT);
    for (const write of [false, true]) {
      expect(f.beginDirectIo(0, 512, write)).toBe(0);
      expect(f.beginDirectIo(4096, 4096, write)).toBe(0); // past EOF too
      expect(f.beginDirectIo(1, 512, write)).toBe(-Errno.EINVAL);
      expect(f.beginDirectIo(0, 100, write)).toBe(-Errno.EINVAL);
      expect(f.beginDirectIo(2n ** 60n + 1n, 512, write)).toBe(-Errno.EINVAL);
      expect(f.beginDirectIo(1, 0, write)).toBe(0);
    }
    // the pieces the syscall layer then moves are not checked again (a read clipped at EOF)
    const buf = new Uint8Array(4096);
    expect(f.pread(buf, 0, 10, 1)).toBe(10);
    // the same file without O_DIRECT: any step
    const g = openOk(vfs, root, '/f', O.O_RDWR);
    expect(g.beginDirectIo(1, 100, false)).toBe(0);
    expect(g.setFlags(O.O_DIRECT, root.cred)).toBe(0);
    expect(g.beginDirectIo(1, 100, false)).toBe(-Errno.EINVAL);
  });

  it('a direct read first writes the range back when the file can (kiocb_write_and_wait)', () => {
    const { vfs, root, file } = setup(new DirectMemFs(1));
    const calls: [number, number][] = [];
    Object.assign(file, { writeback: (offset: number, length: number) => (calls.push([offset, length]), 0) });
    const f = openOk(vfs, root, '/f', O.O_RDWR | O.O_DIRECT);
    expect(f.beginDirectIo(8, 1, true)).toBe(0);
    expect(f.pwrite(enc('B'), 0, 1, 8)).toBe(1);
    expect(calls).toEqual([]); // a direct write writes nothing back first
    expect(f.beginDirectIo(0, 16, false)).toBe(0);
    expect(calls).toEqual([[0, 16]]);
    expect(f.beginDirectIo(0, 0, false)).toBe(0);
    expect(calls).toEqual([[0, 16]]);
    Object.assign(file, { writeback: () => -Errno.EIO });
    expect(f.beginDirectIo(0, 16, false)).toBe(-Errno.EIO);
  });
});
