import { Errno, FS_MAGIC, NAME_MAX, O, PAGE_SIZE, S } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { FrameAllocator } from '@tskern/pagealloc';
import { allocAnonDeviceId, isDir, type DirEntry, type FileSystem, type FsStatistics, type Inode, type NewInode } from '@tskern/vfs';
import type { HostBackend, HostStat } from './host-backend';
import { hostDirectIoAlignment } from './host-direct-io';
import { GuardedHostBackend } from './guarded-host-backend';
import { HostDirectory } from './host-directory';
import { HostFile } from './host-file';
import type { HostInode } from './host-inode';
import { HostSpecial, HostSymlink } from './host-symlink';

/**
 * The largest file hostfs handles (s_maxbytes): the last page boundary below
 * 2^53, as Node's fs takes positions and sizes as numbers. Past it hostfs
 * answers as a Linux file system answers past its own s_maxbytes (ext4 on
 * Linux 6.18 for 2^62): ftruncate, pwrite and fallocate are EFBIG, lseek is
 * EINVAL, pread reads nothing. tmpfs (shmfs, ramfs) goes to 2^63 - 1.
 */
export const HOSTFS_MAX_FILE_SIZE = 2 ** 53 - PAGE_SIZE;

/** The set-user-ID and set-group-ID bits, which hostfs keeps off host files unless `allowSetid`. */
const SETID = S.S_ISUID | S.S_ISGID;

/** Owner ids as the guest sees them. */
export interface HostOwner {
  readonly uid: number;
  readonly gid: number;
}

/** Options of a HostFs. */
export interface HostFsOptions {
  /** The host directory, through its backend (`new NodeHostBackend('/some/dir')`). */
  readonly backend: HostBackend;
  /** The kernel's frame allocator: the page cache lives in its frames. */
  readonly frames: FrameAllocator;
  /** st_dev; a fresh anonymous device by default (as 9p and virtiofs mounts have). */
  readonly deviceId?: number;
  /** A read-only mount. */
  readonly readOnly?: boolean;
  /**
   * Who owns files the guest did not create or chown (like vfat's uid=/gid=
   * mount options); the host's ids by default.
   */
  readonly owner?: HostOwner;
  readonly maxFileSize?: number;
  /**
   * Store set-user-ID and set-group-ID bits on host files (off by default).
   * Off, chmod and create pass the mode to the host without them, so the
   * guest can never leave a set-id program on the host for a host user to
   * run with the host owner's rights; the guest still sees the bits it set
   * (kept in memory for the life of the mount, as the owners the host
   * refuses are).
   */
  readonly allowSetid?: boolean;
}

/**
 * A HostFs over `options.backend`, or `-errno` when its root cannot be
 * statted or is not a directory.
 */
export function createHostFs(options: HostFsOptions): HostFs | number {
  const backend = new GuardedHostBackend(options.backend);
  const st = backend.lstat('');
  if (typeof st === 'number') return st;
  if (!isDir(st.mode)) return -Errno.ENOTDIR;
  return new HostFs({ ...options, backend }, st);
}

/**
 * A file system over a host directory (compare UML's hostfs and 9p in
 * passthrough mode): directory operations go straight to the host; regular
 * files are HostFiles with a page cache over the kernel's frames (mappable,
 * written back on fsync, msync, last close and `sync`).
 *
 * Inodes are the host's (st_ino, one object per host file while it is known,
 * hard links included); attributes are re-read at every lookup. Ownership:
 * the host's ids (or `options.owner`), except that when the host refuses to
 * give a file the owner the guest asked for (create by another uid, chown
 * without host privilege), hostfs remembers the guest's ids for that file for
 * the life of the mount.
 */
export class HostFs implements FileSystem {
  readonly type = 'hostfs';
  readonly deviceId: number;
  readonly maxFileSize: number;
  readonly readOnly: boolean;
  readonly allowSetid: boolean;
  /** The backend behind its fence: no throw and no re-entry get past it (see GuardedHostBackend). */
  readonly backend: GuardedHostBackend;
  readonly frames: FrameAllocator;
  private readonly owner: HostOwner | null;
  private readonly rootDir: HostDirectory;
  /** Known host files by host id. */
  private readonly inodes = new Map<string, HostInode>();
  /** Guest-side owners the host could not store, by host id. */
  private readonly owners = new Map<string, HostOwner>();
  /** Set-id bits the guest gave files and the host was not given (without `allowSetid`), by host id. */
  private readonly setid = new Map<string, number>();
  /** Files with a live page cache. */
  private readonly active = new Set<HostFile>();

  constructor(options: HostFsOptions, rootStat: HostStat) {
    this.backend = options.backend instanceof GuardedHostBackend ? options.backend : new GuardedHostBackend(options.backend);
    this.frames = options.frames;
    this.deviceId = options.deviceId ?? allocAnonDeviceId();
    this.maxFileSize = options.maxFileSize ?? HOSTFS_MAX_FILE_SIZE;
    this.readOnly = options.readOnly ?? false;
    this.owner = options.owner ?? null;
    this.allowSetid = options.allowSetid ?? false;
    this.rootDir = new HostDirectory(this, rootStat, null, '');
    this.inodes.set(rootStat.id, this.rootDir);
  }

  /** The owner the guest sees for a host file. */
  ownerOf(st: HostStat): HostOwner {
    return this.owners.get(st.id) ?? this.owner ?? { uid: st.uid, gid: st.gid };
  }

  /** The st_mode the guest sees for a host file: the host's, with the set-id bits the guest set. */
  modeOf(st: HostStat): number {
    const kept = this.setid.get(st.id);
    return kept === undefined ? st.mode : (st.mode & ~SETID) | kept;
  }

  /**
   * chmod the host file at `path` (host id `id`) to the permission bits
   * `mode` asks, leaving out the set-id bits unless `allowSetid`; those are
   * remembered for the guest instead. 0 or the host's `-errno`.
   */
  setMode(path: string, id: string, mode: number): number {
    const err = this.backend.chmod(path, this.allowSetid ? mode : mode & ~SETID);
    if (err < 0) return err;
    if (!this.allowSetid) this.rememberSetid(id, mode);
    return 0;
  }

  private rememberSetid(id: string, mode: number): void {
    if ((mode & SETID) !== 0) this.setid.set(id, mode & SETID);
    else this.setid.delete(id);
  }

  /**
   * Give `inode` a new owner (-1 keeps an id; the VFS has checked that the
   * caller may). With a fixed `owner` option only the same ids are allowed
   * (EPERM, as vfat). Otherwise the host is asked; when it refuses (EPERM:
   * the host process is not privileged) or the file is unlinked, the ids are
   * kept in memory.
   */
  chown(inode: HostInode, uid: number, gid: number): number {
    const next = { uid: uid === -1 ? inode.uid : uid, gid: gid === -1 ? inode.gid : gid };
    if (this.owner !== null && this.owners.get(inode.hostId) === undefined) {
      if (next.uid !== this.owner.uid || next.gid !== this.owner.gid) return -Errno.EPERM;
      return 0;
    }
    const err = inode.stale ? -Errno.EPERM : this.backend.chown(inode.path(), next.uid, next.gid);
    if (err < 0 && err !== -Errno.EPERM) return err;
    if (err < 0) this.owners.set(inode.hostId, next);
    else this.owners.delete(inode.hostId);
    inode.uid = next.uid;
    inode.gid = next.gid;
    return 0;
  }

  /** A file's page cache went live / was dropped (HostFile's bookkeeping). */
  noteActive(file: HostFile): void {
    this.active.add(file);
  }

  noteInactive(file: HostFile): void {
    this.active.delete(file);
  }

  /** Files with a live page cache (open, mapped, or holding data a failed write-back left). */
  activeFiles(): readonly HostFile[] {
    return [...this.active];
  }

  /**
   * syncfs / unmount: write every dirty page back and fsync each file; files
   * no longer referenced drop their cache. Returns 0 or the first error (the
   * failing files stay dirty; the others are still written).
   */
  sync(): number {
    let first = 0;
    for (const file of [...this.active]) {
      const err = file.syncAll();
      if (err < 0 && first === 0) first = err;
    }
    return first;
  }

  /**
   * statfs, as UML's hostfs (fs/hostfs/hostfs_kern.c hostfs_statfs): the
   * host's space and inode figures, but hostfs's own magic. The files
   * behave as this file system makes them behave (tskern's page cache,
   * written back on fsync, msync and close), not as the host's file system
   * would, so a program asking "what am I on" is told hostfs. A backend
   * with no figures gives no limits (0 counts, as simple_statfs).
   */
  statfs(): FsStatistics {
    const s = this.backend.statfs();
    if (typeof s === 'number') {
      return { magic: FS_MAGIC.HOSTFS_SUPER_MAGIC, blockSize: PAGE_SIZE, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: NAME_MAX };
    }
    const { blockSize, blocks, freeBlocks, availableBlocks, files, freeFiles } = s;
    return { magic: FS_MAGIC.HOSTFS_SUPER_MAGIC, blockSize, blocks, freeBlocks, availableBlocks, files, freeFiles, nameMax: NAME_MAX };
  }

  private directIo: number | undefined | null = null;

  /**
   * O_DIRECT as the host's file system answers it (its f_type, asked once):
   * tmpfs takes any step (Linux 6.6 on), ramfs, procfs and sysfs have no
   * direct I/O (EINVAL), and a block file system wants its device's logical
   * block size, which the host does not tell through Node: 512, what this
   * project's hosts' disks use (a 4096-byte-sector disk would refuse
   * 512-byte steps the guest is allowed). A backend without statfs: none.
   */
  get directIoAlignment(): number | undefined {
    if (this.directIo === null) this.directIo = hostDirectIoAlignment(this.backend.statfs());
    return this.directIo;
  }

  root(): Inode {
    return this.rootDir;
  }

  private dir(inode: Inode): HostDirectory {
    invariant(inode instanceof HostDirectory && inode.fs === this, 'not a directory of this hostfs');
    return inode;
  }

  /**
   * A directory of this hostfs that names things on the host: -ENOENT once
   * it (or one above it) was removed. Lookups and creation in a removed
   * directory fail as in Linux's dead directory (IS_DEADDIR), and its old
   * host path, which the host may have reused for anything, is never used.
   */
  private liveDir(inode: Inode): HostDirectory | number {
    const d = this.dir(inode);
    return d.stale ? -Errno.ENOENT : d;
  }

  private childPath(dir: HostDirectory, name: string): string {
    return `${dir.path()}/${name}`;
  }

  /** The inode for a host file found as `name` in `parent`: the known one, or a new one. */
  private inodeFor(st: HostStat, parent: HostDirectory, name: string): HostInode {
    const known = this.inodes.get(st.id);
    if (known !== undefined && (known.mode & S.S_IFMT) === (st.mode & S.S_IFMT) && known !== this.rootDir) {
      known.relink(parent, name);
      known.refresh(st);
      return known;
    }
    if (known === this.rootDir) return known;
    let inode: HostInode;
    switch (st.mode & S.S_IFMT) {
      case S.S_IFDIR:
        inode = new HostDirectory(this, st, parent, name);
        break;
      case S.S_IFREG:
        inode = new HostFile(this, st, parent, name);
        break;
      case S.S_IFLNK:
        inode = new HostSymlink(this, st, parent, name);
        break;
      default:
        inode = new HostSpecial(this, st, parent, name);
    }
    this.inodes.set(st.id, inode);
    return inode;
  }

  /** The host file now at `path`, entered in the table as `name` of `parent`. */
  private found(path: string, parent: HostDirectory, name: string): HostInode | number {
    const st = this.backend.lstat(path);
    if (typeof st === 'number') return st;
    return this.inodeFor(st, parent, name);
  }

  /** A name is gone from the host: one link less, or the file is unlinked. */
  private dropLink(st: HostStat): void {
    const inode = this.inodes.get(st.id);
    if (inode === undefined) return;
    if (isDir(st.mode) || st.nlink <= 1) {
      this.inodes.delete(st.id);
      this.owners.delete(st.id);
      this.setid.delete(st.id);
      inode.markUnlinked();
    } else {
      inode.nlink = st.nlink - 1;
      inode.ctime = Date.now();
    }
  }

  /** Make a new entry's mode and owner what the guest asked (the host applied its umask and its own ids). */
  private settle(path: string, attrs: NewInode, symlink: boolean): void {
    const st = this.backend.lstat(path);
    if (typeof st === 'number') return;
    const mode = attrs.mode & 0o7777;
    if (!symlink) {
      const hostMode = this.allowSetid ? mode : mode & ~SETID;
      if ((st.mode & 0o7777) !== hostMode) this.backend.chmod(path, hostMode);
      if (!this.allowSetid) this.rememberSetid(st.id, mode);
    }
    const owner = this.owner ?? { uid: st.uid, gid: st.gid };
    if (owner.uid !== attrs.uid || owner.gid !== attrs.gid) {
      const err = this.owner === null ? this.backend.chown(path, attrs.uid, attrs.gid) : -Errno.EPERM;
      if (err < 0) this.owners.set(st.id, { uid: attrs.uid, gid: attrs.gid });
    }
  }

  lookup(dir: Inode, name: string): Inode | number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    return this.found(this.childPath(d, name), d, name);
  }

  create(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    const path = this.childPath(d, name);
    const h = this.backend.open(path, O.O_CREAT | O.O_EXCL | O.O_RDWR, attrs.mode & 0o7777);
    if (h < 0) return h;
    this.backend.close(h);
    this.settle(path, attrs, false);
    d.revalidate();
    return this.found(path, d, name);
  }

  mkdir(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    const path = this.childPath(d, name);
    const err = this.backend.mkdir(path, attrs.mode & 0o7777);
    if (err < 0) return err;
    this.settle(path, attrs, false);
    d.revalidate();
    return this.found(path, d, name);
  }

  symlink(dir: Inode, name: string, target: string, attrs: NewInode): Inode | number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    const path = this.childPath(d, name);
    const err = this.backend.symlink(target, path);
    if (err < 0) return err;
    this.settle(path, attrs, true);
    d.revalidate();
    return this.found(path, d, name);
  }

  unlink(dir: Inode, name: string): number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    const path = this.childPath(d, name);
    const st = this.backend.lstat(path);
    if (typeof st === 'number') return st;
    const err = this.backend.unlink(path);
    if (err < 0) return err;
    this.dropLink(st);
    d.revalidate();
    return 0;
  }

  rmdir(dir: Inode, name: string): number {
    const d = this.liveDir(dir);
    if (typeof d === 'number') return d;
    const path = this.childPath(d, name);
    const st = this.backend.lstat(path);
    if (typeof st === 'number') return st;
    if (!isDir(st.mode)) return -Errno.ENOTDIR;
    const err = this.backend.rmdir(path);
    if (err < 0) return err;
    this.dropLink(st);
    d.revalidate();
    return 0;
  }

  rename(oldDir: Inode, oldName: string, newDir: Inode, newName: string): number {
    const from = this.liveDir(oldDir);
    if (typeof from === 'number') return from;
    const to = this.liveDir(newDir);
    if (typeof to === 'number') return to;
    const fromPath = this.childPath(from, oldName);
    const toPath = this.childPath(to, newName);
    const source = this.backend.lstat(fromPath);
    if (typeof source === 'number') return source;
    const target = this.backend.lstat(toPath);
    const err = this.backend.rename(fromPath, toPath);
    if (err < 0) return err;
    if (typeof target !== 'number' && target.id !== source.id) this.dropLink(target);
    const moved = this.inodes.get(source.id);
    if (moved !== undefined) {
      moved.relink(to, newName);
      moved.ctime = Date.now();
    }
    from.revalidate();
    if (to !== from) to.revalidate();
    return 0;
  }

  readlink(link: Inode): string | number {
    if (!(link instanceof HostSymlink) || link.fs !== this) return -Errno.EINVAL;
    if (link.stale) return -Errno.ENOENT;
    return this.backend.readlink(link.path());
  }

  /**
   * The host's listing with stable positions (see HostDirectory); names that
   * vanish between the listing and their lstat are skipped. A listing the
   * host refuses reads as empty.
   */
  *readdir(dir: Inode, offset: number): Iterable<DirEntry> {
    const d = this.dir(dir);
    if (d.stale) return; // a removed directory lists nothing (IS_DEADDIR)
    const names = this.backend.readdir(d.path());
    if (typeof names === 'number') return;
    for (const [name, position] of d.positioned(names)) {
      if (position < offset) continue;
      const st = this.backend.lstat(this.childPath(d, name));
      if (typeof st === 'number') continue;
      yield { name, ino: st.ino, type: st.mode & S.S_IFMT, offset: position };
    }
  }
}
