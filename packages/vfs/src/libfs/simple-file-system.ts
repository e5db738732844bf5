import { Errno, FS_MAGIC, NAME_MAX, PAGE_SIZE, S, type FileOffset } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { allocAnonDeviceId } from '../device';
import type { DirEntry, FileSystem, FsStatistics, NewInode } from '../file-system';
import type { Inode } from '../inode';
import { isDir } from '../mode';
import { SimpleDirectory } from './simple-directory';
import { SimpleInode, type Clock } from './simple-inode';
import { SimpleSpecialInode } from './special-inode';
import { SimpleSymlink } from './simple-symlink';

/** Options of an in-memory file system. */
export interface SimpleFsOptions {
  /** The type name ("ramfs", "tmpfs"). */
  readonly type: string;
  /** st_dev; a fresh anonymous device by default. */
  readonly deviceId?: number;
  /** Largest file size (s_maxbytes). */
  readonly maxFileSize: FileOffset;
  readonly readOnly?: boolean;
  /** Mode of the root directory, with S_IFDIR or without; default 0755. */
  readonly rootMode?: number;
  readonly rootUid?: number;
  readonly rootGid?: number;
  /** Timestamps; default Date.now. */
  readonly clock?: Clock;
  /** statfs's f_type; RAMFS_MAGIC by default. */
  readonly magic?: number;
}

/**
 * A file system kept wholly in memory, the directory half of Linux's libfs
 * (simple_lookup, simple_link/unlink/rmdir/rename, dcache_readdir) as ramfs
 * and tmpfs use it. Subclasses supply regular files (`newFile`).
 */
export abstract class SimpleFileSystem implements FileSystem {
  readonly type: string;
  readonly deviceId: number;
  readonly maxFileSize: FileOffset;
  /** SB_RDONLY; a remount (mount -o remount,ro) may change it. */
  readOnly: boolean;
  /** statfs's f_type. */
  readonly magic: number;
  protected readonly clock: Clock;
  private nextIno = 1;
  private readonly rootDir: SimpleDirectory;

  constructor(options: SimpleFsOptions) {
    this.type = options.type;
    this.deviceId = options.deviceId ?? allocAnonDeviceId();
    this.maxFileSize = options.maxFileSize;
    this.readOnly = options.readOnly ?? false;
    this.magic = options.magic ?? FS_MAGIC.RAMFS_MAGIC;
    this.clock = options.clock ?? Date.now;
    const mode = S.S_IFDIR | ((options.rootMode ?? 0o755) & ~S.S_IFMT);
    this.rootDir = new SimpleDirectory(this, this.allocIno(), { mode, uid: options.rootUid ?? 0, gid: options.rootGid ?? 0 }, this.clock);
    this.rootDir.addLink();
    this.rootDir.addLink();
  }

  /** A new inode number (tmpfs: get_next_ino; the root is 1). */
  protected allocIno(): number {
    return this.nextIno++;
  }

  /** A new regular file with no links yet. */
  protected abstract newFile(attrs: NewInode): SimpleInode;

  root(): Inode {
    return this.rootDir;
  }

  protected dir(inode: Inode): SimpleDirectory {
    invariant(inode instanceof SimpleDirectory && inode.fs === this, 'not a directory of this file system');
    return inode;
  }

  lookup(dir: Inode, name: string): Inode | number {
    return this.dir(dir).get(name) ?? -Errno.ENOENT;
  }

  private addEntry(dir: SimpleDirectory, name: string, inode: SimpleInode): SimpleInode {
    invariant(dir.get(name) === undefined, () => `${name} exists`);
    inode.addLink();
    dir.add(name, inode);
    return inode;
  }

  create(dir: Inode, name: string, attrs: NewInode): Inode | number {
    return this.addEntry(this.dir(dir), name, this.newFile(attrs));
  }

  tmpfile(dir: Inode, attrs: NewInode): Inode | number {
    this.dir(dir);
    return this.newFile(attrs);
  }

  /** simple_link / shmem_link: one more name for an existing file; the file and directory change ctime. */
  link(inode: Inode, dir: Inode, name: string): number {
    invariant(inode instanceof SimpleInode && inode.fs === this, 'link of an inode of another file system');
    const parent = this.dir(dir);
    this.addEntry(parent, name, inode);
    inode.ctime = this.clock();
    return 0;
  }

  /** simple_statfs: the magic, PAGE_SIZE blocks, NAME_MAX, and no limits (0 counts). */
  statfs(): FsStatistics {
    return { magic: this.magic, blockSize: PAGE_SIZE, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: NAME_MAX };
  }

  mkdir(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const parent = this.dir(dir);
    const child = new SimpleDirectory(this, this.allocIno(), attrs, this.clock);
    child.addLink(); // "."
    parent.addLink(); // the child's ".."
    return this.addEntry(parent, name, child);
  }

  /** ramfs_mknod / shmem_mknod: a FIFO, socket or device node (its opens are the VFS's). */
  mknod(dir: Inode, name: string, attrs: NewInode, rdev: number): Inode | number {
    return this.addEntry(this.dir(dir), name, new SimpleSpecialInode(this, this.allocIno(), attrs, rdev, this.clock));
  }

  symlink(dir: Inode, name: string, target: string, attrs: NewInode): Inode | number {
    return this.addEntry(this.dir(dir), name, new SimpleSymlink(this, this.allocIno(), attrs, this.clock, target));
  }

  unlink(dir: Inode, name: string): number {
    const parent = this.dir(dir);
    const victim = parent.get(name);
    if (victim === undefined) return -Errno.ENOENT;
    parent.remove(name);
    victim.dropLink();
    return 0;
  }

  rmdir(dir: Inode, name: string): number {
    const parent = this.dir(dir);
    const victim = parent.get(name);
    if (victim === undefined) return -Errno.ENOENT;
    if (!(victim instanceof SimpleDirectory)) return -Errno.ENOTDIR;
    if (!victim.isEmpty) return -Errno.ENOTEMPTY;
    parent.remove(name);
    victim.dropLink(true);
    parent.dropLink();
    return 0;
  }

  /** simple_rename / shmem_rename2 without flags. */
  rename(oldDir: Inode, oldName: string, newDir: Inode, newName: string): number {
    const from = this.dir(oldDir);
    const to = this.dir(newDir);
    const source = from.get(oldName);
    if (source === undefined) return -Errno.ENOENT;
    const target = to.get(newName);
    if (target === source) return 0;
    const dirs = isDir(source.mode);
    if (target !== undefined) {
      if (target instanceof SimpleDirectory && !target.isEmpty) return -Errno.ENOTEMPTY;
      to.remove(newName);
      target.dropLink(dirs);
      if (dirs) from.dropLink();
    } else if (dirs) {
      from.dropLink();
      to.addLink();
    }
    from.remove(oldName);
    to.add(newName, source);
    source.ctime = this.clock();
    return 0;
  }

  readlink(link: Inode): string | number {
    return link instanceof SimpleSymlink ? link.target : -Errno.EINVAL;
  }

  *readdir(dir: Inode, offset: number): Iterable<DirEntry> {
    for (const [name, inode, pos] of this.dir(dir).from(offset)) {
      yield { name, ino: inode.ino, type: inode.mode & S.S_IFMT, offset: pos };
    }
  }
}
