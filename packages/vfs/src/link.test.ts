import { AT, Errno, FS_MAGIC, O, S, STATFS_STRUCT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, encodeStatfs, fallocateFile, type FsTask } from './index';
import { MemFs } from './testing/mem-fs';
import { openOk, world } from './testing/world';

const E = Errno;

function nlink(vfs: ReturnType<typeof world>['vfs'], task: FsTask, path: string): number {
  const st = vfs.stat(task, path, false);
  return typeof st === 'number' ? st : st.nlink;
}

describe('link and linkat (do_linkat, vfs_link)', () => {
  it('adds a name and counts links; errors as Linux', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY).decRef();
    expect(vfs.link(user, 'f', 'g')).toBe(0);
    expect(nlink(vfs, user, 'f')).toBe(2);
    expect(vfs.link(user, 'f', 'g')).toBe(-E.EEXIST);
    expect(vfs.link(user, 'nope', 'h')).toBe(-E.ENOENT);
    expect(vfs.link(user, '/tmp', 'd')).toBe(-E.EPERM);
    expect(vfs.link(user, 'f/', 'h')).toBe(-E.ENOTDIR);
    expect(vfs.link(user, 'f', 'h/')).toBe(-E.ENOENT);
    expect(vfs.link(user, 'f', 'h', 0x800)).toBe(-E.EINVAL);
    expect(vfs.link(user, 'f', '/h')).toBe(-E.EACCES);
    expect(vfs.link(user, '', 'h')).toBe(-E.ENOENT);
    expect(vfs.unlink(user, 'f')).toBe(0);
    expect(nlink(vfs, user, 'g')).toBe(1);
  });

  it('links a symlink itself, or its target with AT_SYMLINK_FOLLOW', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY).decRef();
    expect(vfs.symlink(user, 'f', 's')).toBe(0);
    expect(vfs.link(user, 's', 'sl')).toBe(0);
    const sl = vfs.stat(user, 'sl', false);
    expect(typeof sl === 'object' && sl.mode & S.S_IFMT).toBe(S.S_IFLNK);
    expect(vfs.link(user, 's', 'sf', AT.AT_SYMLINK_FOLLOW)).toBe(0);
    expect(nlink(vfs, user, 'f')).toBe(2);
  });

  it('EXDEV across mounts', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(root, '/mnt', 0o777)).toBe(0);
    expect(vfs.mount('/mnt', new MemFs({ rootMode: 0o777 }))).toBe(0);
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY).decRef();
    expect(vfs.link(user, 'f', '/mnt/f')).toBe(-E.EXDEV);
  });

  it('AT_EMPTY_PATH links an open file; an O_TMPFILE only without O_EXCL; never an unlinked file', () => {
    const { vfs, user } = world();
    const t = openOk(vfs, user, '.', O.O_TMPFILE | O.O_RDWR, 0o600);
    expect(vfs.link(user, '', 'named', AT.AT_EMPTY_PATH, t.path, undefined, user.cred)).toBe(0);
    expect(nlink(vfs, user, 'named')).toBe(1);
    const x = openOk(vfs, user, '.', O.O_TMPFILE | O.O_RDWR | O.O_EXCL, 0o600);
    expect(vfs.link(user, '', 'x', AT.AT_EMPTY_PATH, x.path)).toBe(-E.ENOENT);
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    expect(vfs.unlink(user, 'f')).toBe(0);
    expect(vfs.link(user, '', 'f2', AT.AT_EMPTY_PATH, f.path)).toBe(-E.ENOENT);
    // A descriptor opened with other credentials needs a capable caller.
    const g = openOk(vfs, user, 'g', O.O_CREAT | O.O_RDWR);
    expect(vfs.link(user, '', 'g2', AT.AT_EMPTY_PATH, g.path, undefined, new Credentials(1000, 1000))).toBe(-E.ENOENT);
    for (const d of [t, x, f, g]) d.decRef();
  });
});

describe('statfs and fallocate at the VFS', () => {
  it('statfs reports the file system figures and encodes 120 bytes', () => {
    const { vfs, user } = world();
    const s = vfs.statfs(user, '/tmp');
    if (typeof s === 'number') throw new Error(`statfs ${s}`);
    expect(s.type).toBe(FS_MAGIC.RAMFS_MAGIC);
    expect(s.bsize).toBe(4096);
    expect(s.namelen).toBe(255);
    expect(s.flags).toBe(0x1020);
    const bytes = encodeStatfs(s);
    expect(bytes.length).toBe(120);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(STATFS_STRUCT.f_type, true)).toBe(FS_MAGIC.RAMFS_MAGIC);
    expect(Number(view.getBigInt64(STATFS_STRUCT.f_namelen, true))).toBe(255);
    expect(Number(view.getBigInt64(STATFS_STRUCT.f_frsize, true))).toBe(4096);
    expect(vfs.statfs(user, '/nope')).toBe(-E.ENOENT);
  });

  it('fallocate checks in vfs_fallocate order', () => {
    const { vfs, user } = world();
    const rw = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    const ro = openOk(vfs, user, 'f', O.O_RDONLY);
    expect(fallocateFile(rw, 0, -1, 1)).toBe(-E.EINVAL);
    expect(fallocateFile(rw, 0, 0, 0)).toBe(-E.EINVAL);
    expect(fallocateFile(rw, 0x100, 0, 1)).toBe(-E.EOPNOTSUPP);
    expect(fallocateFile(rw, 0x02, 0, 1)).toBe(-E.EOPNOTSUPP); // PUNCH_HOLE without KEEP_SIZE
    expect(fallocateFile(rw, 0x08 | 0x01, 0, 1)).toBe(-E.EOPNOTSUPP); // COLLAPSE with KEEP_SIZE
    expect(fallocateFile(ro, 0x80, 0, 1)).toBe(-E.EBADF);
    expect(fallocateFile(rw, 0, 2 ** 63 - 2, 10)).toBe(-E.EFBIG);
    // MemFs files have no fallocate.
    expect(fallocateFile(rw, 0, 0, 1)).toBe(-E.EOPNOTSUPP);
    rw.decRef();
    ro.decRef();
  });
});
