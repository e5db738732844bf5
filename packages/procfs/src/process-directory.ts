import type { PagemapSource, VmaMemoryReport } from '@tskern/mm-api';
import type { OomFigures } from './oom-entries';

/** Who owns a process's /proc entries: its credentials (task_dump_owner: euid and egid). */
export interface ProcessOwner {
  readonly uid: number;
  readonly gid: number;
}

/** Process states as /proc/[pid]/status prints them (fs/proc/array.c:task_state_array). */
export type ProcessState = 'running' | 'sleeping' | 'stopped' | 'zombie' | 'dead';

/** What /proc/[pid]/status shows of a process (see `formatStatus`). */
export interface ProcessStatus {
  /** The command name (Linux's comm): procfs shows its first 15 bytes. */
  readonly name: string;
  /** The thread group's id when this is a thread's status (/proc/[pid]/task/[tid]); default: the pid shown. */
  readonly tgid?: number;
  readonly ppid: number;
  readonly state: ProcessState;
  /** File mode creation mask; the Umask line is left out when absent. */
  readonly umask?: number;
  /** The real uid and gid. */
  readonly uid: number;
  readonly gid: number;
  /** The effective, saved and file-system ids; each defaults to the real one. */
  readonly euid?: number;
  readonly suid?: number;
  readonly fsuid?: number;
  readonly egid?: number;
  readonly sgid?: number;
  readonly fsgid?: number;
  readonly groups?: readonly number[];
  /** Size of the fd table (FDSize); 64 by default, as a fresh Linux process. */
  readonly fdSize?: number;
  /** Bytes of mlock'ed memory (mm->locked_vm), printed as VmLck; the line is left out when absent. */
  readonly lockedBytes?: number;
  /** The capability sets, printed as CapInh, CapPrm, CapEff, CapBnd and CapAmb; left out when absent. */
  readonly caps?: ProcessCapabilities;
}

/** The 64-bit capability sets of a process (bit n = capability n). */
export interface ProcessCapabilities {
  readonly inheritable: bigint;
  readonly permitted: bigint;
  readonly effective: bigint;
  readonly bounding: bigint;
  readonly ambient: bigint;
}

/**
 * What procfs needs to know about processes. procfs does not know the
 * process table: the composition root implements this over it (pids from the
 * table, maps from `@tskern/mman`'s `formatMaps`, owners from credentials).
 *
 * A pid "exists" for procfs while `owner(pid)` answers; Linux keeps
 * /proc/[pid] for zombies too (their maps read empty), so a process table
 * may list them until they are reaped.
 */
export interface ProcessDirectory {
  /** Pids with a /proc entry, ascending. */
  pids(): Iterable<number>;
  /** The maps text of a process (Linux format, one line per VMA, each ending in "\n"), or undefined once it is gone. */
  maps(pid: number): string | undefined;
  /**
   * The memory of each VMA, in address order (`@tskern/mman`'s
   * `memoryReport`), for /proc/[pid]/smaps and smaps_rollup; undefined once
   * the process is gone. Without the method there are no such files.
   */
  smaps?(pid: number): readonly VmaMemoryReport[] | undefined;
  /** The page table as /proc/[pid]/pagemap reads it (`pagemapSource`); without the method there is no pagemap. */
  pagemap?(pid: number): PagemapSource | undefined;
  /** What /proc/[pid]/oom_score and oom_score_adj show; without the method there are no such files. */
  oom?(pid: number): OomFigures | undefined;
  /**
   * Store a checked oom_score_adj write: the new value and the new
   * oom_score_adj_min. Returns 0, or -ESRCH once the process is gone.
   */
  setOomScoreAdj?(pid: number, scoreAdj: number, scoreAdjMin: number): number;
  /** uid/gid owning /proc/[pid] (the process's credentials), or undefined when there is no such process. */
  owner(pid: number): ProcessOwner | undefined;
  /** The facts /proc/[pid]/status prints; without it there is no status file. */
  status?(pid: number): ProcessStatus | undefined;
  /**
   * prctl(PR_SET_NAME) through /proc/[pid]/comm: set the process's command
   * name as the task `callerPid` (0 or -errno; EINVAL from another process,
   * as comm_write); without it comm cannot be written.
   */
  setComm?(pid: number, callerPid: number | undefined, name: string): number;
  /**
   * The thread ids of process `pid`, ascending (/proc/[pid]/task lists one
   * directory per thread, each a /proc/[tid] as `owner`, `status`... answer
   * for a tid); undefined when `pid` is no process (a thread's own tid).
   * Without the method there is no task directory.
   */
  threads?(pid: number): readonly number[] | undefined;
  /** The argument vector of /proc/[pid]/cmdline (byte strings); without it there is no cmdline file. */
  cmdline?(pid: number): readonly string[] | undefined;
  /**
   * The path of the executable (/proc/[pid]/exe, set at execve), or
   * undefined when the process has none; without the method there is no exe link.
   */
  exe?(pid: number): string | undefined;
  /** The text of /proc/[pid]/mounts (see `formatMounts`); without it there is no mounts file nor /proc/mounts. */
  mounts?(pid: number): string | undefined;
  /** The text of /proc/[pid]/mountinfo (see `formatMountinfo`); without it there is no mountinfo file. */
  mountinfo?(pid: number): string | undefined;
  /**
   * /proc/[pid]/coredump_filter: the process's MMF_DUMP_* bits (bit 0
   * anonymous private ...), or undefined once it has no memory; without the
   * method there is no coredump_filter file.
   */
  coredumpFilter?(pid: number): number | undefined;
  /** A write to /proc/[pid]/coredump_filter: set the bits (0, or -ESRCH once the process is gone). */
  setCoredumpFilter?(pid: number, value: number): number;
  /** The path of the process's control group ("/" for the root); without the method there is no cgroup file. */
  cgroup?(pid: number): string | undefined;
  /**
   * Something unique to the process now holding `pid` (the Process object):
   * lets procfs tell a reused pid from the process a /proc/[pid] directory
   * was made for, as Linux's proc inodes hold a `struct pid`. Optional: without
   * it a reused pid is taken for the same process.
   */
  incarnation?(pid: number): object | undefined;
}
