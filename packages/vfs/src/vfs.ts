import { AT, CAP, Errno, PATH_MAX, S, type FileOffset } from '@tskern/abi';
import { BlockDevices } from '@tskern/block-api';
import { chmodInode, chownInode, truncatePathInode, utimesInode, type NewSizeCheck, type TimeRequest } from './attr';
import { toByteString } from './byte-string';
import { filenameCreate, mayCreate, newInodeAttrs } from './create';
import { capable, Credentials } from './credentials';
import { Dentry } from './dentry';
import type { FileSystem } from './file-system';
import { FsContext, type FsTask } from './fs-context';
import type { MappingIdentityProvider } from './mapping-identity-provider';
import { isDir, isLnk, S_IRWXUGO } from './mode';
import { FileSystemTypes } from './file-system-type';
import { Mount, type MountOptions } from './mount';
import { attachMount, detachMount, treeMounts } from './mount-tree';
import { Namei } from './namei';
import { openFile } from './open';
import type { OpenFileDescription } from './open-file-description';
import { displayPath, followMounts, pathName, type Path } from './path';
import { inodePermission, MAY_EXEC } from './permission';
import { rmdirPath, unlinkPath } from './remove';
import { renamePath } from './rename';
import { LINKAT_FLAGS, linkPath } from './link';
import { mknodPath } from './mknod';
import { SpecialFiles } from './special-files';
import { statfsPath, type StatFs } from './statfs';
import { statInode, type Stat } from './stat';

/** Options of a Vfs. */
export interface VfsOptions {
  /**
   * Makes the mapping identities open files hand to mmap (wire
   * `@tskern/file-mapping`'s FileMappingRegistry here). Without one, mmap of a
   * file is ENODEV.
   */
  readonly mappingIdentities?: MappingIdentityProvider;
  /** The file system types mount(2) may make (default: none registered). */
  readonly fileSystemTypes?: FileSystemTypes;
  /** The block devices mount(2) may name and block special files open (default: none). */
  readonly blockDevices?: BlockDevices;
}

/**
 * getname's checks on a path argument: empty is ENOENT, PATH_MAX bytes or
 * more ENAMETOOLONG. Returns the byte string or the error.
 */
function checkPath(path: string): string | number {
  const p = toByteString(path);
  if (p.length === 0) return -Errno.ENOENT;
  if (p.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
  return p;
}

/**
 * The virtual file system: the mount tree and every path operation, with
 * Linux's lookup rules and errno for each case. Paths are byte strings (see
 * `toByteString`); `at` is the directory a relative path starts from (an
 * *at() directory fd), the task's cwd when absent. Results are values or
 * `-errno`; nothing throws.
 */
export class Vfs {
  /** The root of the tree. */
  readonly root: Path;
  private readonly rootDentries = new WeakMap<FileSystem, Dentry>();
  private readonly identities: MappingIdentityProvider | null;
  /** The registered file system types (mount(2), /proc/filesystems). */
  readonly fileSystemTypes: FileSystemTypes;
  /** The kernel's block devices (mount(2) of a disk file system looks its source up here). */
  readonly blockDevices: BlockDevices;
  /** What opening a FIFO, socket or device node made by mknod(2) does (the kernel registers its drivers). */
  readonly specialFiles = new SpecialFiles();
  /** The next mnt_id (the root mount is 1). */
  private nextMountId = 2;
  /** Mounts of each file system that are in the tree or still used (a superblock's s_active). */
  private readonly liveMounts = new Map<FileSystem, number>();
  /** What to do once a file system's last mount is gone (the block device's claim goes back). */
  private readonly unmountHooks = new Map<FileSystem, (() => void)[]>();

  constructor(rootFs: FileSystem, options: VfsOptions = {}) {
    this.root = { mount: new Mount(rootFs, this.rootDentry(rootFs), null, null, 1, { source: 'rootfs' }), dentry: this.rootDentry(rootFs) };
    this.liveMounts.set(rootFs, 1); // the root mount is never gone
    this.identities = options.mappingIdentities ?? null;
    this.fileSystemTypes = options.fileSystemTypes ?? new FileSystemTypes();
    this.blockDevices = options.blockDevices ?? new BlockDevices();
  }

  /** One root dentry per file system, shared by every mount of it (like a superblock's s_root). */
  private rootDentry(fs: FileSystem): Dentry {
    let d = this.rootDentries.get(fs);
    if (d === undefined) {
      d = Dentry.root(fs.root());
      this.rootDentries.set(fs, d);
    }
    return d;
  }

  /** An fs context at the root of the tree (init's), with `umask`. */
  newFsContext(umask = 0o022): FsContext {
    return new FsContext(this.root, this.root, umask);
  }

  /** The kernel itself as a task: root credentials at the root of the tree. */
  kernelTask(): FsTask {
    return { fs: new FsContext(this.root, this.root, 0), cred: Credentials.root() };
  }

  /**
   * Mount `fs` on the directory `path` (resolved as the kernel, from the
   * root). Mounts on one place stack. ENOTDIR/ENOENT as the lookup says.
   */
  mount(path: string, fs: FileSystem, options: MountOptions = {}): number {
    const task = this.kernelTask();
    const p = this.lookup(task, path, true);
    if (typeof p === 'number') return p;
    if (!isDir(p.dentry.inode.mode)) return -Errno.ENOTDIR;
    return this.mountAt(p, fs, options);
  }

  /**
   * Mount the root of `fs` on `target` (do_add_mount + graft_tree): on top
   * of what is mounted there. ENOTDIR when one of the two is a directory and
   * the other is not.
   */
  mountAt(at: Path, fs: FileSystem, options: MountOptions = {}): number {
    const target = followMounts(at);
    return this.attach(target, new Mount(fs, this.rootDentry(fs), target.mount, target.dentry, this.nextMountId++, options));
  }

  /** graft_tree, counting the mount as one of its file system's until it is gone. */
  private attach(target: Path, m: Mount): number {
    const err = attachMount(target, m);
    if (err < 0) return err;
    this.liveMounts.set(m.fs, (this.liveMounts.get(m.fs) ?? 0) + 1);
    m.onGone = (gone) => this.mountGone(gone.fs);
    return 0;
  }

  /**
   * deactivate_super: when the last mount of `fs` is gone (unmounted and no
   * longer used by open files), generic_shutdown_super writes it back
   * (sync_filesystem) and lets it go (put_super); then the hooks run.
   */
  private mountGone(fs: FileSystem): void {
    const n = (this.liveMounts.get(fs) ?? 1) - 1;
    if (n > 0) {
      this.liveMounts.set(fs, n);
      return;
    }
    this.liveMounts.delete(fs);
    fs.sync?.();
    fs.shutdown?.();
    const hooks = this.unmountHooks.get(fs) ?? [];
    this.unmountHooks.delete(fs);
    for (const fn of hooks) fn();
  }

  /**
   * Call `fn` once the last mount of `fs` is gone, after its sync and
   * shutdown (kill_block_super's bdev release). For a file system mounted
   * through this VFS; a later mount of the same instance needs a new hook.
   */
  whenUnmounted(fs: FileSystem, fn: () => void): void {
    const hooks = this.unmountHooks.get(fs);
    if (hooks === undefined) this.unmountHooks.set(fs, [fn]);
    else hooks.push(fn);
  }

  /**
   * One pass of sync(2) (ksys_sync's iterate_supers): every file system
   * written back. Returns 0, or the first -errno a file system's sync gave.
   */
  syncAll(): number {
    let first = 0;
    for (const fs of this.fileSystems()) {
      const err = fs.sync?.() ?? 0;
      if (err < 0 && first === 0) first = err;
    }
    return first;
  }

  /** Every file system with a mount in the tree or in use (super_blocks, for sync(2)), in no set order. */
  fileSystems(): FileSystem[] {
    return [...this.liveMounts.keys()];
  }

  /**
   * A bind mount (do_loopback without MS_REC): what `source` shows, mounted
   * on `target` with the source mount's flags (clone_mnt copies them).
   * EINVAL for a source that is no longer in the tree.
   */
  bindMount(source: Path, at: Path): number {
    if (!source.mount.attached) return -Errno.EINVAL;
    const target = followMounts(at);
    const m = new Mount(source.mount.fs, source.dentry, target.mount, target.dentry, this.nextMountId++, {
      source: source.mount.source,
      flags: source.mount.flags,
    });
    return this.attach(target, m);
  }

  /**
   * Take `mount` out of the tree (do_umount): EINVAL for the root of the
   * tree; EBUSY while files or working directories use it or something is
   * mounted on it, unless `lazy` (MNT_DETACH: umount_tree takes its
   * submounts too, and open files keep working).
   */
  umount(mount: Mount, lazy: boolean): number {
    if (mount === this.root.mount || !mount.attached) return -Errno.EINVAL;
    if (!lazy && (mount.users > 0 || mount.children.size > 0)) return -Errno.EBUSY;
    detachMount(mount);
    return 0;
  }

  /** Every mount in the tree, in mount order (the namespace's list /proc/mounts walks). */
  mounts(): Mount[] {
    return treeMounts(this.root.mount);
  }

  /**
   * `mkdir -p` then mount: make the missing directories of `path` as root
   * with `mode`, then mount `fs` there. Returns 0 or -errno.
   */
  mountCreating(path: string, fs: FileSystem, mode = 0o755): number {
    const task = this.kernelTask();
    let prefix = '';
    for (const name of path.split('/').filter((c) => c !== '')) {
      prefix += `/${name}`;
      const err = this.mkdir(task, prefix, mode);
      if (err < 0 && err !== -Errno.EEXIST) return err;
    }
    return this.mount(path, fs);
  }

  /** Resolve a path (user_path_at); `follow` follows a final symlink. */
  lookup(task: FsTask, path: string, follow: boolean, at?: Path): Path | number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    return nd.resolve(nd.start(p, at), p, follow);
  }

  /** open(2)/openat(2): a new open file description with one reference for the caller. */
  open(task: FsTask, path: string, flags: number, mode: number, at?: Path): OpenFileDescription | number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    return openFile(task, p, flags, mode, at, this.identities, this.specialFiles);
  }

  /** mkdir(2) (do_mkdirat + vfs_mkdir): mode & (rwx | sticky) & ~umask. */
  mkdir(task: FsTask, path: string, mode: number, at?: Path): number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    const where = filenameCreate(nd, nd.start(p, at), p, true);
    if (typeof where === 'number') return where;
    const dir = where.dir.dentry.inode;
    const err = mayCreate(task.cred, dir);
    if (err < 0) return err;
    const attrs = newInodeAttrs(task, dir, S.S_IFDIR | (mode & (S_IRWXUGO | S.S_ISVTX)));
    const inode = dir.fs.mkdir?.(dir, where.name, attrs) ?? -Errno.EPERM;
    if (typeof inode === 'number') return inode;
    where.dir.dentry.child(where.name, inode);
    return 0;
  }

  /** mknod(2)/mknodat(2): a regular file, FIFO, socket or device node `dev` (new_encode_dev) at `path`. */
  mknod(task: FsTask, path: string, mode: number, dev: number, at?: Path): number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    return mknodPath(nd, nd.start(p, at), p, mode, dev);
  }

  /** symlink(2): `linkPath` names a new symlink to `target` (stored as given). */
  symlink(task: FsTask, target: string, linkPath: string, at?: Path): number {
    const t = checkPath(target);
    if (typeof t === 'number') return t;
    const p = checkPath(linkPath);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    const where = filenameCreate(nd, nd.start(p, at), p, false);
    if (typeof where === 'number') return where;
    const dir = where.dir.dentry.inode;
    const err = mayCreate(task.cred, dir);
    if (err < 0) return err;
    const inode = dir.fs.symlink?.(dir, where.name, t, newInodeAttrs(task, dir, S.S_IFLNK | S_IRWXUGO, false)) ?? -Errno.EPERM;
    if (typeof inode === 'number') return inode;
    where.dir.dentry.child(where.name, inode);
    return 0;
  }

  /**
   * link(2)/linkat(2) (do_linkat): flags other than AT_SYMLINK_FOLLOW and
   * AT_EMPTY_PATH are EINVAL; the source's final symlink is followed only
   * with AT_SYMLINK_FOLLOW. With AT_EMPTY_PATH an empty `oldPath` names
   * `oldAt` itself (the descriptor's file): allowed when it was opened with
   * the caller's credentials (`oldFileCred`, Linux's f_cred; absent means the
   * caller's) or for a caller with CAP_DAC_READ_SEARCH, else ENOENT (Linux 6.10+).
   */
  link(task: FsTask, oldPath: string, newPath: string, flags = 0, oldAt?: Path, newAt?: Path, oldFileCred?: Credentials): number {
    const emptyOld = oldPath === '' && (flags & AT.AT_EMPTY_PATH) !== 0;
    const o = emptyOld ? '' : checkPath(oldPath);
    if (typeof o === 'number') return o;
    const n = checkPath(newPath);
    if (typeof n === 'number') return n;
    if ((flags & ~LINKAT_FLAGS) !== 0) return -Errno.EINVAL;
    let old: Path | number;
    if (emptyOld) {
      if (oldFileCred !== undefined && oldFileCred !== task.cred && !capable(task.cred, CAP.CAP_DAC_READ_SEARCH)) return -Errno.ENOENT;
      old = oldAt ?? task.fs.cwd;
    } else {
      old = this.lookup(task, o, (flags & AT.AT_SYMLINK_FOLLOW) !== 0, oldAt);
    }
    if (typeof old === 'number') return old;
    const nd = new Namei(task);
    return linkPath(nd, old, nd.start(n, newAt), n);
  }

  /** statfs(2): the figures of the file system holding `path` (followed). */
  statfs(task: FsTask, path: string, at?: Path): StatFs | number {
    const p = this.lookup(task, path, true, at);
    if (typeof p === 'number') return p;
    return statfsPath(p);
  }

  /** unlink(2). */
  unlink(task: FsTask, path: string, at?: Path): number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    return unlinkPath(nd, nd.start(p, at), p);
  }

  /** rmdir(2). */
  rmdir(task: FsTask, path: string, at?: Path): number {
    const p = checkPath(path);
    if (typeof p === 'number') return p;
    const nd = new Namei(task);
    return rmdirPath(nd, nd.start(p, at), p);
  }

  /** rename(2)/renameat(2). */
  rename(task: FsTask, oldPath: string, newPath: string, oldAt?: Path, newAt?: Path): number {
    const o = checkPath(oldPath);
    if (typeof o === 'number') return o;
    const n = checkPath(newPath);
    if (typeof n === 'number') return n;
    const nd = new Namei(task);
    return renamePath(nd, nd.start(o, oldAt), o, nd.start(n, newAt), n);
  }

  /** readlink(2): the target; EINVAL when the path is not a symlink. */
  readlink(task: FsTask, path: string, at?: Path): string | number {
    const p = this.lookup(task, path, false, at);
    if (typeof p === 'number') return p;
    const inode = p.dentry.inode;
    if (!isLnk(inode.mode)) return -Errno.EINVAL;
    return inode.fs.readlink(inode, task);
  }

  /** stat(2) (`follow`) or lstat(2). */
  stat(task: FsTask, path: string, follow: boolean, at?: Path): Stat | number {
    const p = this.lookup(task, path, follow, at);
    if (typeof p === 'number') return p;
    return statInode(p.dentry.inode);
  }

  /** truncate(2): EINVAL for a negative length (before the lookup), then vfs_truncate. */
  truncate(task: FsTask, path: string, length: FileOffset, newSizeOk?: NewSizeCheck): number {
    if (length < 0) return -Errno.EINVAL;
    const p = this.lookup(task, path, true);
    if (typeof p === 'number') return p;
    return truncatePathInode(task.cred, p.dentry.inode, length, newSizeOk);
  }

  /** chmod(2)/fchmodat(2). */
  chmod(task: FsTask, path: string, mode: number, at?: Path): number {
    const p = this.lookup(task, path, true, at);
    if (typeof p === 'number') return p;
    return chmodInode(task.cred, p.dentry.inode, mode);
  }

  /** utimensat(2) on a path (`follow` unless AT_SYMLINK_NOFOLLOW); see utimesInode. */
  utimes(task: FsTask, path: string, times: { atime: TimeRequest; mtime: TimeRequest } | null, follow: boolean, at?: Path): number {
    const p = this.lookup(task, path, follow, at);
    if (typeof p === 'number') return p;
    return utimesInode(task.cred, p.dentry.inode, times);
  }

  /** chown(2) (`follow`) or lchown(2); -1 keeps an id. */
  chown(task: FsTask, path: string, uid: number, gid: number, follow: boolean, at?: Path): number {
    const p = this.lookup(task, path, follow, at);
    if (typeof p === 'number') return p;
    return chownInode(task.cred, p.dentry.inode, uid, gid);
  }

  /**
   * access(2) (do_faccessat): `mode` is F_OK (0) or R_OK|W_OK|X_OK, which are
   * the S_IRWXO bits (EINVAL otherwise).
   */
  access(task: FsTask, path: string, mode: number, at?: Path): number {
    if ((mode & ~S.S_IRWXO) !== 0) return -Errno.EINVAL;
    const p = this.lookup(task, path, true, at);
    if (typeof p === 'number') return p;
    if (mode === 0) return 0;
    return inodePermission(task.cred, p.dentry.inode, mode);
  }

  /** chdir(2): a searchable directory becomes the cwd. */
  chdir(task: FsTask, path: string, at?: Path): number {
    const p = this.lookup(task, path, true, at);
    if (typeof p === 'number') return p;
    return this.chdirTo(task, p);
  }

  /** fchdir(2) and the common part of chdir(2). */
  chdirTo(task: FsTask, p: Path): number {
    const inode = p.dentry.inode;
    if (!isDir(inode.mode)) return -Errno.ENOTDIR;
    const err = inodePermission(task.cred, inode, MAY_EXEC);
    if (err < 0) return err;
    task.fs.cwd = p;
    return 0;
  }

  /**
   * getcwd(2): the cwd relative to the task's root; ENOENT once the cwd was
   * removed; "(unreachable)" before a cwd outside the root; ENAMETOOLONG when
   * the path and its NUL do not fit in PATH_MAX bytes (the page-sized buffer
   * prepend_path fills in fs/d_path.c).
   */
  getcwd(task: FsTask): string | number {
    const cwd = task.fs.cwd;
    if (cwd.dentry.unlinked) return -Errno.ENOENT;
    const { path, reachable } = pathName(cwd, task.fs.root);
    const out = reachable ? path : `(unreachable)${path}`;
    return out.length + 1 > PATH_MAX ? -Errno.ENAMETOOLONG : out; // names are byte strings: length is bytes
  }

  /** The maps/d_path name of `p`: absolute, ` (deleted)` once unlinked. */
  displayPath(p: Path): string {
    return displayPath(p);
  }
}
