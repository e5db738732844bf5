import { Errno, FS_MAGIC, NAME_MAX, PAGE_SIZE, S } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { allocAnonDeviceId, type Clock, type DirEntry, type FileSystem, type FsStatistics, type Inode, type NewInode } from '@tskern/vfs';
import type { Cgroup } from './cgroup';
import { CgroupDir } from './cgroup-dir';
import { CgroupFile } from './cgroup-file';
import { CgroupHierarchy } from './cgroup-hierarchy';
import type { CgroupHost } from './cgroup-host';
import { interfaceFile, interfaceFiles } from './interface-files';

/** How a CgroupFs is made. */
export interface CgroupFsOptions {
  /** The processes and memory of the kernel, as the hierarchy needs them. */
  readonly host: CgroupHost;
  /** st_dev; a fresh anonymous device by default. */
  readonly deviceId?: number;
  /** Timestamps of the inodes; default Date.now. */
  readonly clock?: Clock;
}

/** Inode numbers of interface files start here; groups count up from 1. */
const FILE_INO_BASE = 1 << 30;

/**
 * The cgroup v2 file system (kernel/cgroup/cgroup.c over kernfs): the
 * kernel's one hierarchy as directories, one per group, each with its
 * interface files (cgroup.procs, cgroup.subtree_control, memory.max, ...).
 * mkdir makes a group and rmdir removes an empty one; files can be neither
 * created (EACCES: kernfs has no ->create) nor unlinked (EPERM). Every mount
 * of type cgroup2 shows this same hierarchy.
 */
export class CgroupFs implements FileSystem {
  readonly type = 'cgroup2';
  readonly deviceId: number;
  readonly maxFileSize = Number.MAX_SAFE_INTEGER;
  readonly readOnly = false;
  readonly hierarchy: CgroupHierarchy;
  private readonly clock: Clock;
  private readonly dirs = new WeakMap<Cgroup, CgroupDir>();
  private readonly files = new WeakMap<Cgroup, Map<string, CgroupFile>>();
  private nextFileIno = FILE_INO_BASE;

  constructor(options: CgroupFsOptions) {
    this.deviceId = options.deviceId ?? allocAnonDeviceId();
    this.clock = options.clock ?? Date.now;
    this.hierarchy = new CgroupHierarchy(options.host);
    // The root directory is 0555 (kernfs_create_root's root node); groups get the mode mkdir asks for.
    this.dirs.set(this.hierarchy.root, new CgroupDir(this, this.hierarchy.root, 0o555, 0, 0, this.clock));
  }

  /** The directory inode of `group` (made with the group). */
  private dirOf(group: Cgroup): CgroupDir {
    const d = this.dirs.get(group);
    invariant(d !== undefined, 'cgroup without a directory');
    return d;
  }

  private dir(inode: Inode): CgroupDir | number {
    if (!(inode instanceof CgroupDir) || inode.fs !== this) return -Errno.ENOTDIR;
    return inode;
  }

  root(): Inode {
    return this.dirOf(this.hierarchy.root);
  }

  /** cgroup2's statfs: CGROUP2_SUPER_MAGIC and no figures (simple_statfs). */
  statfs(): FsStatistics {
    return { magic: FS_MAGIC.CGROUP2_SUPER_MAGIC, blockSize: PAGE_SIZE, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: NAME_MAX };
  }

  lookup(dir: Inode, name: string): Inode | number {
    const d = this.dir(dir);
    if (typeof d === 'number') return d;
    const group = d.group;
    if (group.removed) return -Errno.ENOENT;
    const child = group.children.get(name);
    if (child !== undefined) return this.dirOf(child);
    const file = interfaceFile(group, name);
    if (typeof file === 'number') return file;
    let cache = this.files.get(group);
    if (cache === undefined) this.files.set(group, (cache = new Map()));
    let inode = cache.get(name);
    if (inode === undefined) cache.set(name, (inode = new CgroupFile(this, this.nextFileIno++, this.clock, group, this.hierarchy, file)));
    return inode;
  }

  /**
   * cgroup_mkdir: a new group under `dir`, owned as its parent directory
   * (cgroup_kn_set_ugid), with the mode asked for. A name with a newline is
   * EINVAL (cgroup_mkdir refuses it); a taken name EEXIST.
   */
  mkdir(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const d = this.dir(dir);
    if (typeof d === 'number') return d;
    if (name.includes('\n')) return -Errno.EINVAL;
    if (typeof interfaceFile(d.group, name) !== 'number') return -Errno.EEXIST;
    const group = this.hierarchy.makeGroup(d.group, name);
    if (typeof group === 'number') return group;
    const inode = new CgroupDir(this, group, attrs.mode & 0o7777, d.uid, d.gid, this.clock);
    this.dirs.set(group, inode);
    d.mtime = d.ctime = this.clock();
    return inode;
  }

  /** Interface files cannot be removed: EPERM. */
  unlink(dir: Inode, name: string): number {
    const d = this.dir(dir);
    if (typeof d === 'number') return d;
    return d.group.children.has(name) ? -Errno.EISDIR : -Errno.EPERM;
  }

  /** cgroup_rmdir: EBUSY while the group has processes or child groups; ENOTDIR for a file. */
  rmdir(dir: Inode, name: string): number {
    const d = this.dir(dir);
    if (typeof d === 'number') return d;
    const group = d.group.children.get(name);
    if (group === undefined) return typeof interfaceFile(d.group, name) === 'number' ? -Errno.ENOENT : -Errno.ENOTDIR;
    const r = this.hierarchy.removeGroup(group);
    if (r === 0) d.mtime = d.ctime = this.clock();
    return r;
  }

  /**
   * cgroup_rename: a group may be renamed within its parent only (EIO
   * otherwise); files cannot (ENOTDIR); a taken name is EEXIST.
   */
  rename(oldDir: Inode, oldName: string, newDir: Inode, newName: string): number {
    const from = this.dir(oldDir);
    const to = this.dir(newDir);
    if (typeof from === 'number') return from;
    if (typeof to === 'number') return to;
    const group = from.group.children.get(oldName);
    if (group === undefined) return typeof interfaceFile(from.group, oldName) === 'number' ? -Errno.ENOENT : -Errno.ENOTDIR;
    if (from !== to) return -Errno.EIO;
    if (oldName === newName) return 0;
    if (from.group.children.has(newName) || typeof interfaceFile(from.group, newName) !== 'number') return -Errno.EEXIST;
    from.group.children.delete(oldName);
    group.name = newName;
    from.group.children.set(newName, group);
    return 0;
  }

  readlink(): string | number {
    return -Errno.EINVAL;
  }

  /** Child groups and interface files, in name order (kernfs sorts by hash; no program can rely on an order). */
  *readdir(dir: Inode, offset: number): Iterable<DirEntry> {
    const d = this.dir(dir);
    if (typeof d === 'number' || d.group.removed) return;
    const names = [...d.group.children.keys(), ...interfaceFiles(d.group).map((f) => f.name)].sort();
    for (let i = 0; i < names.length; i++) {
      const at = i + 2;
      if (at < offset) continue;
      const node = this.lookup(d, names[i]!);
      if (typeof node === 'number') continue;
      yield { name: names[i]!, ino: node.ino, type: node.mode & S.S_IFMT, offset: at };
    }
  }
}
