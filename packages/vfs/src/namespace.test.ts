import { Errno, O, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, type FsTask } from './index';
import { MemFs } from './testing/mem-fs';
import { openOk, world } from './testing/world';

const E = Errno;

describe('mkdir', () => {
  it('applies the umask, counts links, and refuses existing names', () => {
    const { vfs, user } = world();
    expect(vfs.mkdir(user, 'd', 0o1777)).toBe(0);
    const st = vfs.stat(user, 'd', false);
    expect(typeof st === 'object' && st.mode).toBe(S.S_IFDIR | 0o1755);
    expect(typeof st === 'object' && st.nlink).toBe(2);
    expect(vfs.mkdir(user, 'd/e/', 0o777)).toBe(0); // a trailing slash is fine for mkdir
    const st2 = vfs.stat(user, 'd', false);
    expect(typeof st2 === 'object' && st2.nlink).toBe(3);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(-E.EEXIST);
    expect(vfs.mkdir(user, 'd/.', 0o777)).toBe(-E.EEXIST);
    expect(vfs.mkdir(user, '/', 0o777)).toBe(-E.EEXIST);
    expect(vfs.mkdir(user, 'x/y', 0o777)).toBe(-E.ENOENT);
    expect(vfs.mkdir(user, '/d', 0o777)).toBe(-E.EACCES);
  });
});

describe('unlink and rmdir', () => {
  it('unlink removes a file name; errors as do_unlinkat', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    expect(vfs.unlink(user, 'd')).toBe(-E.EISDIR);
    expect(vfs.unlink(user, 'd/')).toBe(-E.EISDIR);
    expect(vfs.unlink(user, 'f/')).toBe(-E.ENOTDIR);
    expect(vfs.unlink(user, '.')).toBe(-E.EISDIR);
    expect(vfs.unlink(user, 'missing')).toBe(-E.ENOENT);
    expect(vfs.unlink(user, 'f')).toBe(0);
    expect(vfs.unlink(user, 'f')).toBe(-E.ENOENT);
  });

  it('unlink of a symlink removes the link, not its target', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.symlink(user, 'f', 'l')).toBe(0);
    expect(vfs.unlink(user, 'l')).toBe(0);
    expect(typeof vfs.stat(user, 'f', false)).toBe('object');
  });

  it('rmdir errors as do_rmdir', () => {
    const { vfs, user } = world();
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    openOk(vfs, user, 'd/f', O.O_CREAT | O.O_WRONLY);
    openOk(vfs, user, 'g', O.O_CREAT | O.O_WRONLY);
    expect(vfs.rmdir(user, 'd')).toBe(-E.ENOTEMPTY);
    expect(vfs.rmdir(user, 'd/..')).toBe(-E.ENOTEMPTY);
    expect(vfs.rmdir(user, 'd/.')).toBe(-E.EINVAL);
    expect(vfs.rmdir(user, '/')).toBe(-E.EBUSY);
    expect(vfs.rmdir(user, 'g')).toBe(-E.ENOTDIR);
    expect(vfs.unlink(user, 'd/f')).toBe(0);
    expect(vfs.rmdir(user, 'd/')).toBe(0);
    expect(vfs.rmdir(user, 'd')).toBe(-E.ENOENT);
    const st = vfs.stat(user, '/tmp', false);
    expect(typeof st === 'object' && st.nlink).toBe(2);
  });

  it('a sticky directory lets only the owners delete (EPERM)', () => {
    const { vfs, root, user } = world();
    openOk(vfs, root, '/tmp/rootfile', O.O_CREAT | O.O_WRONLY, 0o666);
    expect(vfs.unlink(user, 'rootfile')).toBe(-E.EPERM);
    expect(vfs.rename(user, 'rootfile', 'mine')).toBe(-E.EPERM);
    const other: FsTask = { fs: user.fs, cred: new Credentials(2000, 2000) };
    openOk(vfs, user, 'userfile', O.O_CREAT | O.O_WRONLY);
    expect(vfs.unlink(other, 'userfile')).toBe(-E.EPERM);
    expect(vfs.unlink(user, 'userfile')).toBe(0);
    expect(vfs.unlink(root, '/tmp/rootfile')).toBe(0);
  });

  it('removing needs write permission on the directory', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    openOk(vfs, user, 'd/f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.chmod(user, 'd', 0o555)).toBe(0);
    expect(vfs.unlink(user, 'd/f')).toBe(-E.EACCES);
    expect(vfs.unlink(root, '/tmp/d/f')).toBe(0);
  });
});

describe('rename', () => {
  it('moves a file, replacing the target, and keeps open names current', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'a', O.O_CREAT | O.O_RDWR);
    const g = openOk(vfs, user, 'b', O.O_CREAT | O.O_RDWR);
    expect(vfs.rename(user, 'a', 'b')).toBe(0);
    expect(vfs.displayPath(f.path)).toBe('/tmp/b');
    expect(vfs.displayPath(g.path)).toBe('/tmp/b (deleted)');
    expect(g.inode.nlink).toBe(0);
    expect(vfs.stat(user, 'a', false)).toBe(-E.ENOENT);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    expect(vfs.rename(user, 'b', 'd/c')).toBe(0);
    expect(vfs.displayPath(f.path)).toBe('/tmp/d/c');
    expect(vfs.rename(user, 'd', 'e')).toBe(0);
    expect(vfs.displayPath(f.path)).toBe('/tmp/e/c');
  });

  it('errors as do_renameat2 and vfs_rename', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    expect(vfs.mkdir(user, 'd/sub', 0o777)).toBe(0);
    expect(vfs.mkdir(user, 'full', 0o777)).toBe(0);
    openOk(vfs, user, 'full/x', O.O_CREAT | O.O_WRONLY);
    expect(vfs.rename(user, 'missing', 'x')).toBe(-E.ENOENT);
    expect(vfs.rename(user, '.', 'x')).toBe(-E.EBUSY);
    expect(vfs.rename(user, 'f', '..')).toBe(-E.EBUSY);
    expect(vfs.rename(user, 'f', 'd')).toBe(-E.EISDIR);
    expect(vfs.rename(user, 'd', 'f')).toBe(-E.ENOTDIR);
    expect(vfs.rename(user, 'f/', 'g')).toBe(-E.ENOTDIR);
    expect(vfs.rename(user, 'f', 'g/')).toBe(-E.ENOTDIR);
    expect(vfs.rename(user, 'd', 'd/sub/x')).toBe(-E.EINVAL);
    expect(vfs.rename(user, 'd', 'd/x')).toBe(-E.EINVAL);
    expect(vfs.rename(user, 'd/sub', 'd')).toBe(-E.ENOTEMPTY);
    expect(vfs.rename(user, 'd', 'full')).toBe(-E.ENOTEMPTY);
    expect(vfs.rename(user, 'f', 'f')).toBe(0);
    expect(vfs.rename(user, 'd/', 'e/')).toBe(0);
  });

  it('replacing an empty directory fixes link counts', () => {
    const { vfs, user } = world();
    expect(vfs.mkdir(user, 'a', 0o777)).toBe(0);
    expect(vfs.mkdir(user, 'b', 0o777)).toBe(0);
    expect(vfs.mkdir(user, 'a/x', 0o777)).toBe(0);
    expect(vfs.rename(user, 'a/x', 'b')).toBe(0);
    const tmp = vfs.stat(user, '/tmp', false);
    const a = vfs.stat(user, 'a', false);
    expect(typeof tmp === 'object' && tmp.nlink).toBe(4); // its name, '.', a/.. and b/..
    expect(typeof a === 'object' && a.nlink).toBe(2);
  });
});

describe('symlink and readlink', () => {
  it('stores the target as given; readlink errors', () => {
    const { vfs, user } = world();
    expect(vfs.symlink(user, '../anything/at all', 'l')).toBe(0);
    expect(vfs.readlink(user, 'l')).toBe('../anything/at all');
    const st = vfs.stat(user, 'l', false);
    expect(typeof st === 'object' && st.mode).toBe(S.S_IFLNK | 0o777);
    expect(typeof st === 'object' && st.size).toBe(18);
    expect(vfs.readlink(user, '/tmp')).toBe(-E.EINVAL);
    expect(vfs.readlink(user, 'missing')).toBe(-E.ENOENT);
    expect(vfs.readlink(user, '')).toBe(-E.ENOENT);
    expect(vfs.symlink(user, 'x', 'l')).toBe(-E.EEXIST);
    expect(vfs.symlink(user, '', 'm')).toBe(-E.ENOENT);
    expect(vfs.symlink(user, 'x', 'm/')).toBe(-E.ENOENT);
  });
});

describe('attributes', () => {
  it('chmod needs ownership; others lose set-gid bits they do not own', () => {
    const { vfs, root, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.chmod(user, 'f', 0o2751)).toBe(0);
    const st = vfs.stat(user, 'f', false);
    expect(typeof st === 'object' && st.mode).toBe(S.S_IFREG | 0o2751);
    openOk(vfs, root, '/tmp/r', O.O_CREAT | O.O_WRONLY);
    expect(vfs.chmod(user, 'r', 0o777)).toBe(-E.EPERM);
    expect(vfs.chown(root, '/tmp/f', -1, 77, true)).toBe(0);
    expect(vfs.chmod(user, 'f', 0o2755)).toBe(0);
    const st2 = vfs.stat(user, 'f', false);
    expect(typeof st2 === 'object' && st2.mode).toBe(S.S_IFREG | 0o755);
  });

  it('chown: only root gives files away; owners may pick their own groups', () => {
    const { vfs, root } = world();
    const user: FsTask = { fs: root.fs, cred: new Credentials(1000, 1000, [20]) };
    openOk(vfs, user, '/tmp/f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.chown(user, '/tmp/f', 0, -1, true)).toBe(-E.EPERM);
    expect(vfs.chown(user, '/tmp/f', 1000, 20, true)).toBe(0);
    expect(vfs.chown(user, '/tmp/f', -1, 30, true)).toBe(-E.EPERM);
    expect(vfs.chmod(user, '/tmp/f', 0o6755)).toBe(0);
    expect(vfs.chown(root, '/tmp/f', 5, 6, true)).toBe(0);
    const st = vfs.stat(user, '/tmp/f', false);
    expect(typeof st === 'object' && [st.uid, st.gid, st.mode]).toEqual([5, 6, S.S_IFREG | 0o755]);
  });

  it('access checks F_OK, R_OK, W_OK, X_OK; bad modes are EINVAL', () => {
    const { vfs, user, root } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY, 0o644);
    expect(vfs.access(user, 'f', 0)).toBe(0);
    expect(vfs.access(user, 'f', S.S_IROTH | S.S_IWOTH)).toBe(0);
    expect(vfs.access(user, 'f', S.S_IXOTH)).toBe(-E.EACCES);
    expect(vfs.access(user, 'f', 8)).toBe(-E.EINVAL);
    expect(vfs.access(user, 'missing', 0)).toBe(-E.ENOENT);
    // root: X_OK only where some execute bit is set
    expect(vfs.access(root, '/tmp/f', S.S_IXOTH)).toBe(-E.EACCES);
    expect(vfs.access(root, '/tmp/f', S.S_IWOTH)).toBe(0);
    expect(vfs.chmod(user, 'f', 0o100)).toBe(0);
    expect(vfs.access(root, '/tmp/f', S.S_IXOTH)).toBe(0);
  });

  it('truncate(2): EINVAL, EISDIR, EACCES, and sizes', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY, 0o644);
    expect(vfs.truncate(user, 'f', 10)).toBe(0);
    const st = vfs.stat(user, 'f', false);
    expect(typeof st === 'object' && st.size).toBe(10);
    expect(vfs.truncate(user, 'f', -1)).toBe(-E.EINVAL);
    expect(vfs.truncate(user, 'missing', -1)).toBe(-E.EINVAL);
    expect(vfs.truncate(user, '/tmp', 0)).toBe(-E.EISDIR);
    expect(vfs.truncate(user, 'missing', 0)).toBe(-E.ENOENT);
    expect(vfs.chmod(user, 'f', 0o444)).toBe(0);
    expect(vfs.truncate(user, 'f', 0)).toBe(-E.EACCES);
    expect(vfs.chmod(user, 'f', 0o644)).toBe(0);
    expect(vfs.truncate(user, 'f', 2 ** 31)).toBe(-E.EFBIG);
  });

  it('a read-only file system refuses writes with EROFS', () => {
    const { vfs, root } = world();
    expect(vfs.mkdir(root, '/ro', 0o755)).toBe(0);
    const ro = new MemFs({ readOnly: true, rootMode: 0o777 });
    ro.create(ro.root(), 'f', { mode: S.S_IFREG | 0o666, uid: 0, gid: 0 });
    expect(vfs.mount('/ro', ro)).toBe(0);
    expect(vfs.open(root, '/ro/g', O.O_CREAT | O.O_WRONLY, 0o666)).toBe(-E.EROFS);
    expect(vfs.open(root, '/ro/f', O.O_RDWR, 0)).toBe(-E.EROFS);
    expect(vfs.mkdir(root, '/ro/d', 0o777)).toBe(-E.EROFS);
    expect(vfs.chmod(root, '/ro/f', 0o777)).toBe(-E.EROFS);
    expect(vfs.access(root, '/ro/f', S.S_IWOTH)).toBe(-E.EROFS);
    openOk(vfs, root, '/ro/f', O.O_RDONLY);
  });
});

describe('chdir and getcwd', () => {
  it('chdir needs a searchable directory', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.chdir(user, 'f')).toBe(-E.ENOTDIR);
    expect(vfs.chdir(user, 'missing')).toBe(-E.ENOENT);
    expect(vfs.mkdir(user, 'd', 0o666)).toBe(0);
    expect(vfs.chdir(user, 'd')).toBe(-E.EACCES);
    expect(vfs.symlink(user, '/tmp', 'l')).toBe(0);
    expect(vfs.chdir(user, 'l')).toBe(0);
    expect(vfs.getcwd(user)).toBe('/tmp');
  });

  it('getcwd is ENAMETOOLONG once the path and its NUL pass PATH_MAX bytes', () => {
    const { vfs, user } = world();
    // /tmp + 16 components of "/" + 250 bytes = 4020 bytes; one more of 74 reaches 4095 (fits with the NUL), 75 does not.
    const name = 'n'.repeat(250);
    for (let i = 0; i < 16; i++) {
      expect(vfs.mkdir(user, name, 0o700)).toBe(0);
      expect(vfs.chdir(user, name)).toBe(0);
    }
    expect(vfs.mkdir(user, 'a'.repeat(74), 0o700)).toBe(0);
    expect(vfs.mkdir(user, 'b'.repeat(75), 0o700)).toBe(0);
    expect(vfs.chdir(user, 'a'.repeat(74))).toBe(0);
    expect((vfs.getcwd(user) as string).length).toBe(4095);
    expect(vfs.chdir(user, '..')).toBe(0);
    expect(vfs.chdir(user, 'b'.repeat(75))).toBe(0);
    expect(vfs.getcwd(user)).toBe(-E.ENAMETOOLONG);
  });

  it('a forked fs context is a copy', () => {
    const { vfs, user } = world();
    const child = { ...user, fs: user.fs.fork() };
    expect(vfs.chdir(child, '/')).toBe(0);
    child.fs.umask = 0;
    expect(vfs.getcwd(user)).toBe('/tmp');
    expect(user.fs.umask).toBe(0o022);
  });
});
