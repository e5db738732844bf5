import { Errno, NAME_MAX, O, PATH_MAX, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, type FsTask } from './index';
import { MemFs } from './testing/mem-fs';
import { enc, openOk, world } from './testing/world';

const E = Errno;

describe('open: creation', () => {
  it('O_CREAT makes a regular file with mode & ~umask, owned by the caller', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'new', O.O_WRONLY | O.O_CREAT, 0o777);
    expect(f.inode.mode).toBe(S.S_IFREG | 0o755);
    expect(f.inode.uid).toBe(1000);
    expect(f.inode.gid).toBe(1000);
    user.fs.umask = 0o077;
    expect(openOk(vfs, user, 'new2', O.O_WRONLY | O.O_CREAT, 0o4777).inode.mode).toBe(S.S_IFREG | 0o4700);
  });

  it('O_CREAT|O_EXCL on an existing name is EEXIST, also for a directory and a symlink', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'x', O.O_CREAT | O.O_WRONLY);
    expect(vfs.open(user, 'x', O.O_CREAT | O.O_EXCL | O.O_RDWR, 0o666)).toBe(-E.EEXIST);
    expect(vfs.open(user, '/tmp', O.O_CREAT | O.O_EXCL | O.O_RDWR, 0o666)).toBe(-E.EEXIST);
    expect(vfs.open(user, '.', O.O_CREAT | O.O_EXCL | O.O_RDONLY, 0o666)).toBe(-E.EEXIST);
    expect(vfs.symlink(user, 'nowhere', 'dangling')).toBe(0);
    expect(vfs.open(user, 'dangling', O.O_CREAT | O.O_EXCL | O.O_RDWR, 0o666)).toBe(-E.EEXIST);
    expect(vfs.stat(user, 'nowhere', false)).toBe(-E.ENOENT);
  });

  it('O_CREAT through a dangling symlink creates its target', () => {
    const { vfs, user } = world();
    expect(vfs.symlink(user, 'target', 'link')).toBe(0);
    openOk(vfs, user, 'link', O.O_CREAT | O.O_WRONLY);
    expect(typeof vfs.stat(user, 'target', false)).toBe('object');
  });

  it('O_CREAT on a directory, ".", or a trailing slash is EISDIR', () => {
    const { vfs, user } = world();
    expect(vfs.open(user, '/tmp', O.O_RDWR | O.O_CREAT, 0o666)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp/', O.O_RDWR | O.O_CREAT, 0o666)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp/missing/', O.O_RDWR | O.O_CREAT, 0o666)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp/.', O.O_RDWR | O.O_CREAT, 0o666)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp', O.O_RDONLY | O.O_CREAT, 0o666)).toBe(-E.EISDIR);
  });

  it('O_DIRECTORY|O_CREAT is EINVAL (Linux 6.4+)', () => {
    const { vfs, user } = world();
    expect(vfs.open(user, 'd', O.O_DIRECTORY | O.O_CREAT | O.O_RDONLY, 0o666)).toBe(-E.EINVAL);
  });

  it('a created file opens read-write whatever its mode', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'ro', O.O_RDWR | O.O_CREAT, 0);
    expect(f.write(enc('x'), 0, 1)).toBe(1);
    expect(vfs.open(user, 'ro', O.O_RDONLY, 0)).toBe(-E.EACCES);
  });

  it('creating needs write and search permission on the directory', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(root, '/tmp/locked', 0o555)).toBe(0);
    expect(vfs.open(user, 'locked/f', O.O_CREAT | O.O_WRONLY, 0o666)).toBe(-E.EACCES);
    // ... but an existing file opens without write permission on the directory.
    openOk(vfs, root, '/tmp/locked/g', O.O_CREAT | O.O_WRONLY, 0o666);
    openOk(vfs, user, 'locked/g', O.O_RDONLY);
  });

  it('creating in a removed directory is ENOENT', () => {
    const { vfs, user } = world();
    expect(vfs.mkdir(user, 'gone', 0o777)).toBe(0);
    expect(vfs.chdir(user, 'gone')).toBe(0);
    expect(vfs.rmdir(user, '/tmp/gone')).toBe(0);
    expect(vfs.open(user, 'f', O.O_CREAT | O.O_WRONLY, 0o666)).toBe(-E.ENOENT);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(-E.ENOENT);
    expect(vfs.getcwd(user)).toBe(-E.ENOENT);
  });

  it('a set-group-ID directory gives its group and S_ISGID to new directories', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(root, '/tmp/sg', 0o777)).toBe(0);
    expect(vfs.chown(root, '/tmp/sg', 0, 50, true)).toBe(0);
    expect(vfs.chmod(root, '/tmp/sg', 0o2777)).toBe(0);
    expect(openOk(vfs, user, 'sg/f', O.O_CREAT | O.O_WRONLY, 0o2755).inode.gid).toBe(50);
    expect(openOk(vfs, user, 'sg/f').inode.mode & S.S_ISGID).toBe(0); // not in group 50: stripped
    expect(vfs.mkdir(user, 'sg/d', 0o755)).toBe(0);
    const st = vfs.stat(user, 'sg/d', false);
    expect(typeof st === 'object' && st.mode).toBe(S.S_IFDIR | S.S_ISGID | 0o755);
  });
});

describe('open: existing files', () => {
  it('O_TRUNC empties the file, even with O_RDONLY', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 't', O.O_RDWR | O.O_CREAT);
    f.write(enc('hello'), 0, 5);
    openOk(vfs, user, 't', O.O_RDONLY | O.O_TRUNC);
    expect(f.inode.size()).toBe(0);
  });

  it('O_TRUNC needs write permission', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 't', O.O_RDWR | O.O_CREAT, 0o444).write(enc('abc'), 0, 3);
    expect(vfs.open(user, 't', O.O_RDONLY | O.O_TRUNC, 0)).toBe(-E.EACCES);
    expect(openOk(vfs, user, 't').inode.size()).toBe(3);
  });

  it('O_CREAT|O_TRUNC on an existing file truncates it', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 't', O.O_RDWR | O.O_CREAT).write(enc('abc'), 0, 3);
    expect(openOk(vfs, user, 't', O.O_RDWR | O.O_CREAT | O.O_TRUNC).inode.size()).toBe(0);
  });

  it('directories open read-only; writing, or O_TRUNC, is EISDIR', () => {
    const { vfs, user } = world();
    openOk(vfs, user, '/tmp', O.O_RDONLY);
    expect(vfs.open(user, '/tmp', O.O_WRONLY, 0)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp', O.O_RDWR, 0)).toBe(-E.EISDIR);
    expect(vfs.open(user, '/tmp', O.O_RDONLY | O.O_TRUNC, 0)).toBe(-E.EISDIR);
  });

  it('O_DIRECTORY on a file, or a trailing slash, is ENOTDIR', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.open(user, 'f', O.O_RDONLY | O.O_DIRECTORY, 0)).toBe(-E.ENOTDIR);
    expect(vfs.open(user, 'f/', O.O_RDONLY, 0)).toBe(-E.ENOTDIR);
    openOk(vfs, user, '/tmp/', O.O_RDONLY | O.O_DIRECTORY);
  });

  it('O_NOFOLLOW on a final symlink is ELOOP; links earlier in the path are followed', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.symlink(user, 'f', 'lf')).toBe(0);
    expect(vfs.symlink(user, '/tmp', 'ld')).toBe(0);
    openOk(vfs, user, 'lf', O.O_RDONLY);
    expect(vfs.open(user, 'lf', O.O_RDONLY | O.O_NOFOLLOW, 0)).toBe(-E.ELOOP);
    openOk(vfs, user, 'ld/f', O.O_RDONLY | O.O_NOFOLLOW);
    // A trailing slash follows even under O_NOFOLLOW.
    openOk(vfs, user, 'ld/', O.O_RDONLY | O.O_NOFOLLOW);
    expect(vfs.open(user, 'lf', O.O_RDONLY | O.O_NOFOLLOW | O.O_DIRECTORY, 0)).toBe(-E.ENOTDIR);
  });

  it('O_PATH|O_NOFOLLOW opens the symlink itself; O_PATH ignores other flags', () => {
    const { vfs, user } = world();
    expect(vfs.symlink(user, 'nowhere', 'l')).toBe(0);
    const f = openOk(vfs, user, 'l', O.O_PATH | O.O_NOFOLLOW);
    expect(f.inode.mode & S.S_IFMT).toBe(S.S_IFLNK);
    expect(f.read(new Uint8Array(1), 0, 1)).toBe(-E.EBADF);
    expect(f.getFlags() & O.O_PATH).toBe(O.O_PATH);
    const g = openOk(vfs, user, '/tmp', O.O_PATH | O.O_RDWR | O.O_CREAT | O.O_TRUNC);
    expect(g.writable).toBe(false);
  });

  it('access mode 3 needs read and write permission and allows neither', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY, 0o644);
    const f = openOk(vfs, user, 'f', O.O_WRONLY | O.O_RDWR);
    expect(f.read(new Uint8Array(1), 0, 1)).toBe(-E.EBADF);
    expect(f.write(enc('x'), 0, 1)).toBe(-E.EBADF);
    expect(vfs.chmod(user, 'f', 0o200)).toBe(0);
    expect(vfs.open(user, 'f', O.O_WRONLY | O.O_RDWR, 0)).toBe(-E.EACCES);
  });

  it('checks read and write permission by owner, group and other class', () => {
    const { vfs, root } = world();
    openOk(vfs, root, '/tmp/f', O.O_CREAT | O.O_WRONLY, 0o640);
    expect(vfs.chown(root, '/tmp/f', 1000, 50, true)).toBe(0);
    const owner: FsTask = { fs: root.fs, cred: new Credentials(1000, 1000) };
    const member: FsTask = { fs: root.fs, cred: new Credentials(2000, 2000, [50]) };
    const other: FsTask = { fs: root.fs, cred: new Credentials(3000, 3000) };
    openOk(vfs, owner, '/tmp/f', O.O_RDWR);
    openOk(vfs, member, '/tmp/f', O.O_RDONLY);
    expect(vfs.open(member, '/tmp/f', O.O_WRONLY, 0)).toBe(-E.EACCES);
    expect(vfs.open(other, '/tmp/f', O.O_RDONLY, 0)).toBe(-E.EACCES);
    // Owner bits alone count for the owner, even where "other" allows more.
    expect(vfs.chmod(root, '/tmp/f', 0o047)).toBe(0);
    expect(vfs.open(owner, '/tmp/f', O.O_RDONLY, 0)).toBe(-E.EACCES);
    openOk(vfs, other, '/tmp/f', O.O_RDWR);
    // Root reads and writes anything.
    expect(vfs.chmod(root, '/tmp/f', 0)).toBe(0);
    openOk(vfs, root, '/tmp/f', O.O_RDWR);
  });
});

describe('path lookup', () => {
  it('ENOENT for a missing component or an empty path', () => {
    const { vfs, user } = world();
    expect(vfs.open(user, 'missing', O.O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(vfs.open(user, 'missing/f', O.O_CREAT | O.O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(vfs.open(user, '', O.O_RDONLY, 0)).toBe(-E.ENOENT);
  });

  it('ENOTDIR when a middle component is not a directory', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.open(user, 'f/x', O.O_RDONLY, 0)).toBe(-E.ENOTDIR);
    expect(vfs.open(user, 'f/x', O.O_CREAT | O.O_RDONLY, 0)).toBe(-E.ENOTDIR);
    expect(vfs.mkdir(user, 'f/d', 0o777)).toBe(-E.ENOTDIR);
  });

  it('ENAMETOOLONG for a component over NAME_MAX bytes and a path of PATH_MAX bytes', () => {
    const { vfs, user } = world();
    const long = 'a'.repeat(NAME_MAX + 1);
    expect(vfs.open(user, long, O.O_RDONLY, 0)).toBe(-E.ENAMETOOLONG);
    expect(vfs.open(user, long, O.O_CREAT | O.O_RDWR, 0o666)).toBe(-E.ENAMETOOLONG);
    expect(vfs.mkdir(user, long, 0o777)).toBe(-E.ENAMETOOLONG);
    openOk(vfs, user, 'a'.repeat(NAME_MAX), O.O_CREAT | O.O_RDWR);
    const path = ('./'.repeat((PATH_MAX - 1) / 2) + 'x').slice(-(PATH_MAX - 1));
    expect(path.length).toBe(PATH_MAX - 1);
    expect(vfs.open(user, path, O.O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(vfs.open(user, '/' + path, O.O_RDONLY, 0)).toBe(-E.ENAMETOOLONG);
  });

  it('search permission is needed on every directory walked (EACCES)', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(root, '/tmp/d', 0o777)).toBe(0);
    openOk(vfs, root, '/tmp/d/f', O.O_CREAT | O.O_WRONLY, 0o666);
    expect(vfs.chmod(root, '/tmp/d', 0o666)).toBe(0);
    expect(vfs.open(user, 'd/f', O.O_RDONLY, 0)).toBe(-E.EACCES);
    // EACCES comes before ENAMETOOLONG and ENOENT below the directory.
    expect(vfs.open(user, 'd/' + 'a'.repeat(300), O.O_RDONLY, 0)).toBe(-E.EACCES);
    expect(vfs.open(user, 'd/missing', O.O_RDONLY, 0)).toBe(-E.EACCES);
    expect(vfs.chdir(user, 'd')).toBe(-E.EACCES);
    openOk(vfs, root, '/tmp/d/f', O.O_RDONLY);
  });

  it('follows 40 symlinks and fails the 41st with ELOOP', () => {
    const { vfs, user } = world();
    openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.symlink(user, 'f', 'l0')).toBe(0);
    for (let i = 1; i <= 40; i++) expect(vfs.symlink(user, `l${i - 1}`, `l${i}`)).toBe(0);
    openOk(vfs, user, 'l39', O.O_RDONLY); // 40 links
    expect(vfs.open(user, 'l40', O.O_RDONLY, 0)).toBe(-E.ELOOP); // 41
    expect(vfs.symlink(user, 'loop', 'loop')).toBe(0);
    expect(vfs.open(user, 'loop', O.O_RDONLY, 0)).toBe(-E.ELOOP);
    expect(vfs.open(user, 'loop/x', O.O_RDONLY, 0)).toBe(-E.ELOOP);
    expect(vfs.stat(user, 'loop', true)).toBe(-E.ELOOP);
    expect(typeof vfs.stat(user, 'loop', false)).toBe('object');
  });

  it('resolves . and .., relative symlinks from their directory, and stops .. at the root', () => {
    const { vfs, user } = world();
    expect(vfs.mkdir(user, 'a', 0o777)).toBe(0);
    expect(vfs.mkdir(user, 'a/b', 0o777)).toBe(0);
    openOk(vfs, user, 'a/f', O.O_CREAT | O.O_WRONLY);
    expect(vfs.symlink(user, '../f', 'a/b/up')).toBe(0);
    openOk(vfs, user, './a/b/../b/./up', O.O_RDONLY);
    openOk(vfs, user, '/../../tmp/a/f', O.O_RDONLY);
    expect(vfs.chdir(user, 'a/b/../..')).toBe(0);
    expect(vfs.getcwd(user)).toBe('/tmp');
    const r = openOk(vfs, user, '/..', O.O_RDONLY);
    expect(r.inode).toBe(vfs.root.dentry.inode);
  });

  it('crosses mounts downwards and back up with ..', () => {
    const { vfs, root, user } = world();
    expect(vfs.mkdir(root, '/mnt', 0o755)).toBe(0);
    const inner = new MemFs({ rootMode: 0o1777 });
    expect(vfs.mount('/mnt', inner)).toBe(0);
    const f = openOk(vfs, user, '/mnt/x', O.O_CREAT | O.O_RDWR);
    expect(f.inode.fs).toBe(inner);
    expect(vfs.displayPath(f.path)).toBe('/mnt/x');
    expect(vfs.chdir(user, '/mnt')).toBe(0);
    expect(vfs.getcwd(user)).toBe('/mnt');
    expect(vfs.chdir(user, '..')).toBe(0);
    expect(vfs.getcwd(user)).toBe('/');
    expect(vfs.rmdir(root, '/mnt')).toBe(-E.EBUSY);
    expect(vfs.rename(root, '/mnt/x', '/tmp/x')).toBe(-E.EXDEV);
    expect(vfs.mount('/tmp/none', inner)).toBe(-E.ENOENT);
  });
});
