import { Errno, FS_MAGIC, NAME_MAX, PAGE_SIZE } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { allocAnonDeviceId, type Clock, type DirEntry, type FileSystem, type FsCaller, type FsStatistics, type Inode } from '@tskern/vfs';
import { PidDir } from './pid-dir';
import { ProcDirectory, ProcSymlink } from './proc-nodes';
import { ProcRoot } from './proc-root';
import { ProcFixedLink, ProcSelf } from './proc-self';
import type { ProcessDirectory } from './process-directory';
import { formatMeminfo, formatUptime } from './meminfo';
import { formatStat } from './stat';
import { ProcFixedFile } from './proc-fixed-file';
import type { SystemFigures } from './system-figures';
import { ProcSysvipcDir } from './sysvipc';
import { procSysTree } from './proc-sys';
import type { SysctlEntry } from './sysctl-values';
import type { PhysicalPageSource } from '@tskern/mm-api';
import { ProcKpageFile } from './kpage-file';

/** Options of a ProcFs. */
export interface ProcFsOptions {
  /** Where the processes come from (the composition root's process table). */
  readonly processes: ProcessDirectory;
  /** st_dev; a fresh anonymous device by default (proc is an anonymous superblock). */
  readonly deviceId?: number;
  /** Timestamps of the inodes; default Date.now. */
  readonly clock?: Clock;
  /** Memory and clock figures for /proc/meminfo and /proc/uptime; without them those files do not exist. */
  readonly system?: SystemFigures;
  /** The kernel settings under /proc/sys; without any there is no /proc/sys. */
  readonly sysctls?: readonly SysctlEntry[];
  /** Physical memory frame by frame: with it /proc/kpageflags and /proc/kpagecount exist (fs/proc/page.c). */
  readonly physicalPages?: PhysicalPageSource;
}

/**
 * procfs (fs/proc): the directory of processes, mounted at /proc by the
 * composition root. It holds `self` (a symlink to the caller's pid),
 * `/proc/[pid]/` for every process of the ProcessDirectory, with `status`,
 * `maps` (Linux's exact text, generated at read like seq_file) and `mounts`,
 * and `/proc/mounts` (-> self/mounts) when the directory offers mounts;
 * `/proc/meminfo`, `/proc/stat` and `/proc/uptime` with the kernel's SystemFigures;
 * `/proc/kpageflags` and `/proc/kpagecount` with its PhysicalPageSource.
 * Every file has st_size 0. Nothing can be created, removed or renamed: as
 * Linux's proc inodes lack those operations, create is EACCES and the others
 * EPERM (after the VFS's permission checks, which stop non-root callers first).
 */
export class ProcFs implements FileSystem {
  readonly type = 'proc';
  readonly deviceId: number;
  /** s_maxbytes = MAX_LFS_FILESIZE (here the largest exact offset). */
  readonly maxFileSize = Number.MAX_SAFE_INTEGER;
  /** /proc is mounted read-write; its files refuse writes by mode and by having no write operation. */
  readonly readOnly = false;
  readonly processes: ProcessDirectory;
  readonly clock: Clock;
  readonly self: ProcSelf;
  private nextIno = 2;
  private readonly rootDir: ProcRoot;
  private readonly mountsLink: ProcFixedLink;
  private readonly systemFiles: [string, Inode][] = [];
  private readonly pidDirs = new Map<number, PidDir>();

  constructor(options: ProcFsOptions) {
    this.processes = options.processes;
    this.deviceId = options.deviceId ?? allocAnonDeviceId();
    this.clock = options.clock ?? Date.now;
    this.rootDir = new ProcRoot(this);
    this.self = new ProcSelf(this, this.allocIno(), this.clock);
    this.mountsLink = new ProcFixedLink(this, this.allocIno(), this.clock, 'self/mounts');
    const system = options.system;
    if (system !== undefined) {
      this.systemFiles.push(['meminfo', new ProcFixedFile(this, this.allocIno(), this.clock, () => formatMeminfo(system.memory()))]);
      const stat = system.stat?.bind(system);
      if (stat !== undefined) this.systemFiles.push(['stat', new ProcFixedFile(this, this.allocIno(), this.clock, () => formatStat(stat()))]);
      this.systemFiles.push(['uptime', new ProcFixedFile(this, this.allocIno(), this.clock, () => formatUptime(system.uptimeNs(), system.idleNs?.() ?? 0))]);
      const filesystems = system.filesystems?.bind(system);
      if (filesystems !== undefined) this.systemFiles.push(['filesystems', new ProcFixedFile(this, this.allocIno(), this.clock, filesystems)]);
      const partitions = system.partitions?.bind(system);
      if (partitions !== undefined) this.systemFiles.push(['partitions', new ProcFixedFile(this, this.allocIno(), this.clock, partitions)]);
      const devices = system.devices?.bind(system);
      if (devices !== undefined) this.systemFiles.push(['devices', new ProcFixedFile(this, this.allocIno(), this.clock, devices)]);
      const sysvShm = system.sysvShm?.bind(system);
      if (sysvShm !== undefined) this.systemFiles.push(['sysvipc', new ProcSysvipcDir(this, this.allocIno(), this.allocIno(), this.clock, sysvShm)]);
    }
    const physical = options.physicalPages;
    if (physical !== undefined) {
      this.systemFiles.push(['kpagecount', new ProcKpageFile(this, this.allocIno(), this.clock, physical, 'count')]);
      this.systemFiles.push(['kpageflags', new ProcKpageFile(this, this.allocIno(), this.clock, physical, 'flags')]);
      if (physical.cgroupInodes !== undefined) this.systemFiles.push(['kpagecgroup', new ProcKpageFile(this, this.allocIno(), this.clock, physical, 'cgroup')]);
    }
    const sysctls = options.sysctls ?? [];
    if (sysctls.length > 0) this.systemFiles.push(['sys', procSysTree(this, sysctls)]);
  }

  /** A fresh inode number (the root is 1, PROC_ROOT_INO). For the package's inodes. */
  allocIno(): number {
    return this.nextIno++;
  }

  /**
   * The fixed entries of the root, in Linux's order: proc_subdir's rb-tree
   * sorts by name length first, then bytes (proc_match).
   */
  fixedEntries(): [string, Inode][] {
    const out: [string, Inode][] = [...this.systemFiles];
    if (this.processes.mounts !== undefined) out.push(['mounts', this.mountsLink]);
    return out.sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A fixed entry of the root by name ("self" included), if there is one. */
  fixedEntry(name: string): Inode | undefined {
    if (name === 'self') return this.self;
    return this.fixedEntries().find(([n]) => n === name)?.[1];
  }

  /**
   * The directory of `pid` while the process exists: the same object each
   * time, a new one when the pid went to another process.
   */
  pidDir(pid: number): PidDir | undefined {
    if (this.processes.owner(pid) === undefined) {
      this.pidDirs.delete(pid);
      return undefined;
    }
    const incarnation = this.processes.incarnation?.(pid);
    let dir = this.pidDirs.get(pid);
    if (dir === undefined || dir.incarnation !== incarnation) {
      dir = new PidDir(this, this.allocIno(), pid, incarnation);
      this.pidDirs.set(pid, dir);
    }
    return dir;
  }

  /** Drop the directories of pids no longer listed (called while listing /proc). */
  forgetPidsExcept(live: readonly number[]): void {
    const keep = new Set(live);
    for (const pid of this.pidDirs.keys()) if (!keep.has(pid)) this.pidDirs.delete(pid);
  }

  /** statfs: PROC_SUPER_MAGIC and no figures (proc uses simple_statfs). */
  statfs(): FsStatistics {
    return { magic: FS_MAGIC.PROC_SUPER_MAGIC, blockSize: PAGE_SIZE, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: NAME_MAX };
  }

  root(): Inode {
    return this.rootDir;
  }

  private dir(inode: Inode): ProcDirectory {
    invariant(inode instanceof ProcDirectory && inode.fs === this, 'not a directory of this procfs');
    return inode;
  }

  lookup(dir: Inode, name: string, caller: FsCaller): Inode | number {
    return this.dir(dir).lookupChild(name, caller);
  }

  readlink(link: Inode, caller: FsCaller): string | number {
    return link instanceof ProcSymlink && link.fs === this ? link.target(caller) : -Errno.EINVAL;
  }

  readdir(dir: Inode, offset: number, caller: FsCaller): Iterable<DirEntry> {
    return this.dir(dir).entries(offset, caller);
  }
}
