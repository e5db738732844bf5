import { Errno, FS_MAGIC, NAME_MAX, PAGE_SIZE } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { allocAnonDeviceId, type Clock, type DirEntry, type FileSystem, type FsStatistics, type Inode } from '@tskern/vfs';
import type { SysAttribute } from './attribute';
import { AttributeFile } from './attribute-file';
import { cpuAttributes } from './cpu-list';
import { ksmAttributes, type KsmSettings } from './ksm';
import { SysDir } from './sys-dir';
import { transparentHugepageAttributes } from './transparent-hugepage';

/** NR_CPUS of a tskern kernel: affinity masks are one unsigned long. */
export const SYSFS_NR_CPUS = 64;

/** What a SysFs shows; the composition root fills it from what the kernel really has. */
export interface SysFsOptions {
  /** nr_cpu_ids: CPUs 0 to cpus - 1 are possible, present and online. */
  readonly cpus: number;
  /** NR_CPUS (kernel_max + 1); default SYSFS_NR_CPUS. */
  readonly nrCpus?: number;
  /** CONFIG_KSM: the settings behind /sys/kernel/mm/ksm; without them the directory does not exist. */
  readonly ksm?: KsmSettings;
  /** CONFIG_TRANSPARENT_HUGEPAGE: /sys/kernel/mm/transparent_hugepage (policy never). */
  readonly transparentHugepage?: boolean;
  /** st_dev; a fresh anonymous device by default. */
  readonly deviceId?: number;
  /** Timestamps of the inodes; default Date.now. */
  readonly clock?: Clock;
}

/**
 * sysfs (fs/sysfs over fs/kernfs): the kernel's objects as directories of
 * attribute files, mounted at /sys by the composition root. It holds
 * `kernel/mm/ksm` and `kernel/mm/transparent_hugepage` when the kernel has
 * them, `devices/system/cpu`'s masks, and `fs` (where file systems such as
 * cgroup get mount points). The tree is built once; nothing can be created,
 * removed or renamed in it: create is EACCES (no ->create), the others EPERM
 * (kernfs without syscall_ops).
 */
export class SysFs implements FileSystem {
  readonly type = 'sysfs';
  readonly deviceId: number;
  readonly maxFileSize = Number.MAX_SAFE_INTEGER;
  /** /sys is mounted read-write; attributes without a store refuse writers at open. */
  readonly readOnly = false;
  private readonly clock: Clock;
  private nextIno = 2;
  private readonly rootDir: SysDir;

  constructor(options: SysFsOptions) {
    this.deviceId = options.deviceId ?? allocAnonDeviceId();
    this.clock = options.clock ?? Date.now;
    this.rootDir = new SysDir(this, 1, 0o555, this.clock);
    this.directory('kernel/mm');
    this.directory('fs');
    if (options.ksm !== undefined) this.addAttributes('kernel/mm/ksm', ksmAttributes(options.ksm));
    if (options.transparentHugepage === true) this.addAttributes('kernel/mm/transparent_hugepage', transparentHugepageAttributes());
    this.addAttributes('devices/system/cpu', cpuAttributes(options.cpus, options.nrCpus ?? SYSFS_NR_CPUS));
  }

  /**
   * Add attribute files to the directory at `path` (relative to /sys, made
   * with its parents as needed), as sysfs_create_group does for a kobject.
   */
  addAttributes(path: string, attributes: readonly SysAttribute[]): void {
    const dir = this.directory(path);
    for (const a of attributes) dir.add(a.name, new AttributeFile(this, this.nextIno++, this.clock, a));
  }

  /**
   * Remove the entry at `path` (relative to /sys) with what is under it, as
   * kobject_del or sysfs_remove_group for a device that goes away (a loop
   * device's `loop/` when it is detached). False when there is none.
   */
  remove(path: string): boolean {
    const names = path.split('/').filter((c) => c !== '');
    const last = names.pop();
    let dir: SysDir = this.rootDir;
    for (const name of names) {
      const child = dir.child(name);
      if (!(child instanceof SysDir)) return false;
      dir = child;
    }
    return last !== undefined && dir.remove(last);
  }

  /** An empty directory at `path` for another file system to be mounted on (sysfs_create_mount_point). */
  addMountPoint(path: string): void {
    this.directory(path);
  }

  private directory(path: string): SysDir {
    let dir = this.rootDir;
    for (const name of path.split('/').filter((c) => c !== '')) {
      const child = dir.child(name);
      if (child instanceof SysDir) dir = child;
      else {
        invariant(typeof child === 'number', () => `sysfs: ${path} passes through a file`);
        dir = dir.add(name, new SysDir(this, this.nextIno++, 0o755, this.clock));
      }
    }
    return dir;
  }

  /** simple_statfs: SYSFS_MAGIC and no figures. */
  statfs(): FsStatistics {
    return { magic: FS_MAGIC.SYSFS_MAGIC, blockSize: PAGE_SIZE, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: NAME_MAX };
  }

  root(): Inode {
    return this.rootDir;
  }

  private dir(inode: Inode): SysDir {
    invariant(inode instanceof SysDir && inode.fs === this, 'not a directory of this sysfs');
    return inode;
  }

  lookup(dir: Inode, name: string): Inode | number {
    return this.dir(dir).child(name);
  }

  /** sysfs here has no symlinks. */
  readlink(): string | number {
    return -Errno.EINVAL;
  }

  readdir(dir: Inode, offset: number): Iterable<DirEntry> {
    return this.dir(dir).entries(offset);
  }
}
