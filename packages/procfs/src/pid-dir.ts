import { Errno, S } from '@tskern/abi';
import type { Clock, DirEntry, FileOperations, FsCaller, Inode } from '@tskern/vfs';
import { PID_ENTRIES, type PidEntry } from './pid-entries';
import type { ProcFs } from './proc-fs';
import { ProcInode } from './proc-inode';
import { ProcDirectory, ProcSymlink } from './proc-nodes';
import { TaskDir } from './task-dir';
import type { ProcessDirectory, ProcessOwner } from './process-directory';

/** First position of the entries of a /proc/[pid] directory ("." and ".." are 0 and 1). */
const FIRST_ENTRY = 2;

/**
 * /proc/[pid]: a directory made for one process (proc_pid_instantiate). It
 * and its files are owned by the process's uid/gid, recomputed on every
 * access as pid_revalidate does; mode 0555. Once the process is gone (or its
 * pid went to another process) lookups in it are ENOENT and it lists nothing.
 */
export class PidDir extends ProcDirectory {
  private readonly children = new Map<string, PidFile | PidLink>();
  private taskDir: TaskDir | undefined;

  constructor(
    private readonly proc: ProcFs,
    ino: number,
    readonly pid: number,
    /** The process this directory was made for (ProcessDirectory.incarnation). */
    readonly incarnation: object | undefined,
  ) {
    super(proc, ino, proc.clock);
  }

  get processes(): ProcessDirectory {
    return this.proc.processes;
  }

  /** The process is still the one this directory was made for. */
  get alive(): boolean {
    return this.owner() !== undefined;
  }

  /** The process's owner, or undefined once it is gone. */
  owner(): ProcessOwner | undefined {
    const p = this.proc.processes;
    const owner = p.owner(this.pid);
    if (owner === undefined) return undefined;
    if (p.incarnation !== undefined && p.incarnation(this.pid) !== this.incarnation) return undefined;
    return owner;
  }

  get mode(): number {
    return S.S_IFDIR | 0o555;
  }

  get uid(): number {
    return this.owner()?.uid ?? 0;
  }

  get gid(): number {
    return this.owner()?.gid ?? 0;
  }

  /** pid_entry_nlink: 2, plus one per subdirectory (task, for a process). */
  get nlink(): number {
    return this.hasTasks() ? 3 : 2;
  }

  /** A process's directory has `task`; a thread's (/proc/[pid]/task/[tid]) has not, as tid_base_stuff. */
  private hasTasks(): boolean {
    return this.proc.processes.threads?.(this.pid) !== undefined;
  }

  lookupChild(name: string): Inode | number {
    if (!this.alive) return -Errno.ENOENT;
    if (name === 'task' && this.hasTasks()) {
      this.taskDir ??= new TaskDir(this.proc, this.proc.allocIno(), this, this.proc.clock);
      return this.taskDir;
    }
    const entry = PID_ENTRIES.find((e) => e.name === name && e.available(this.proc.processes));
    if (entry === undefined) return -Errno.ENOENT;
    let child = this.children.get(name);
    if (child === undefined) {
      child = entry.link !== undefined ? new PidLink(this, this.proc.allocIno(), entry, this.proc.clock) : new PidFile(this, this.proc.allocIno(), entry, this.proc.clock);
      this.children.set(name, child);
    }
    return child;
  }

  *entries(offset: number): Iterable<DirEntry> {
    if (!this.alive) return;
    for (let i = 0; i < PID_ENTRIES.length; i++) {
      const entry = PID_ENTRIES[i]!;
      const pos = FIRST_ENTRY + i;
      if (pos < offset || !entry.available(this.proc.processes)) continue;
      const child = this.lookupChild(entry.name);
      if (typeof child === 'number') return;
      yield { name: entry.name, ino: child.ino, type: entry.link !== undefined ? S.S_IFLNK : S.S_IFREG, offset: pos };
    }
    const taskPos = FIRST_ENTRY + PID_ENTRIES.length;
    if (taskPos >= offset && this.hasTasks()) {
      const task = this.lookupChild('task');
      if (typeof task !== 'number') yield { name: 'task', ino: task.ino, type: S.S_IFDIR, offset: taskPos };
    }
  }
}

/** A file of /proc/[pid]: read-only text generated per open (see PID_ENTRIES). */
export class PidFile extends ProcInode {
  constructor(
    readonly dir: PidDir,
    ino: number,
    readonly entry: PidEntry,
    clock: Clock,
  ) {
    super(dir.fs, ino, clock);
  }

  get mode(): number {
    return S.S_IFREG | this.entry.perm;
  }

  get uid(): number {
    return this.dir.uid;
  }

  get gid(): number {
    return this.dir.gid;
  }

  get nlink(): number {
    return 1;
  }

  open(_flags: number, caller: FsCaller): FileOperations | number {
    return this.entry.open(this.dir, caller);
  }
}

/** A symlink of /proc/[pid] (exe): owned like the directory, its body computed per reader. */
export class PidLink extends ProcSymlink {
  constructor(
    readonly dir: PidDir,
    ino: number,
    readonly entry: PidEntry,
    clock: Clock,
  ) {
    super(dir.fs, ino, clock);
  }

  get uid(): number {
    return this.dir.uid;
  }

  get gid(): number {
    return this.dir.gid;
  }

  target(caller: FsCaller): string | number {
    return this.entry.link?.(this.dir, caller) ?? -Errno.EINVAL;
  }
}
