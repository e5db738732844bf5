import { Errno, S } from '@tskern/abi';
import type { Clock, DirEntry, Inode } from '@tskern/vfs';
import type { PidDir } from './pid-dir';
import type { ProcFs } from './proc-fs';
import { ProcDirectory } from './proc-nodes';

/** First position of the thread entries ("." and ".." are 0 and 1). */
const FIRST_ENTRY = 2;

/**
 * /proc/[pid]/task (fs/proc/base.c proc_task_lookup / proc_task_readdir):
 * one directory per thread of the process, named by tid, each the thread's
 * /proc/[tid] (status with its own Pid, comm, maps...). Owned as the process
 * directory is; empty once the process is gone.
 */
export class TaskDir extends ProcDirectory {
  constructor(
    private readonly proc: ProcFs,
    ino: number,
    private readonly process: PidDir,
    clock: Clock,
  ) {
    super(proc, ino, clock);
  }

  private tids(): readonly number[] {
    return this.process.alive ? (this.proc.processes.threads?.(this.process.pid) ?? []) : [];
  }

  get mode(): number {
    return S.S_IFDIR | 0o555;
  }

  get uid(): number {
    return this.process.uid;
  }

  get gid(): number {
    return this.process.gid;
  }

  /** proc_task_getattr: 2 plus one per thread. */
  get nlink(): number {
    return 2 + this.tids().length;
  }

  lookupChild(name: string): Inode | number {
    const tid = /^[1-9][0-9]*$/.test(name) ? Number(name) : -1;
    if (!this.tids().includes(tid)) return -Errno.ENOENT;
    return this.proc.pidDir(tid) ?? -Errno.ENOENT;
  }

  *entries(offset: number): Iterable<DirEntry> {
    const tids = this.tids();
    for (let i = Math.max(0, offset - FIRST_ENTRY); i < tids.length; i++) {
      const dir = this.proc.pidDir(tids[i]!);
      if (dir !== undefined) yield { name: String(tids[i]), ino: dir.ino, type: S.S_IFDIR, offset: FIRST_ENTRY + i };
    }
  }
}
