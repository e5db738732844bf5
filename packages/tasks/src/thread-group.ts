import { Signal } from '@tskern/abi';
import { WaitQueue } from '@tskern/sched';
import { PendingSignals } from '@tskern/signal';
import { invariant } from '@tskern/assert';
import type { PidAllocator } from './pid-allocator';
import type { Task } from './task';
import { emptyUsage } from './usage';

/** A process runs until its last thread exits, then it is a zombie until its parent waits. */
export type ThreadGroupState = 'running' | 'zombie';

/**
 * A process: the threads that share one tgid (Linux's `signal_struct` with
 * the group leader's pid). It owns what POSIX gives the process rather than
 * the thread: its parent and children, the exit status its parent collects,
 * shared pending signals, interval timers and resource limits.
 */
export class ThreadGroup {
  /** Live threads of the group. */
  readonly tasks = new Set<Task>();
  /** Child processes (of any thread of the group, as wait4 without __WNOTHREAD sees them). */
  readonly children = new Set<ThreadGroup>();
  state: ThreadGroupState = 'running';
  /**
   * Where wait4/waitid sleep until a child changes state (signal_struct's
   * wait_chldexit); woken when a child becomes a zombie.
   */
  readonly childExit = new WaitQueue('wait4');
  /** The status word wait4 stores (exit code << 8, or the killing signal | 0x80 for a core), once a zombie. */
  waitStatus = 0;
  /** exit_group(2) in progress: the code every thread exits with (SIGNAL_GROUP_EXIT). */
  groupExitCode: number | null = null;
  /** Signals pending for the whole process: `@tskern/signal`'s queue, set by the kernel. */
  readonly pending = new PendingSignals();
  /** The signal that killed the process (0 when it exited): the low 7 bits of its wait status. */
  killedBy = 0;
  /** Interval timers (setitimer), set by the kernel. */
  itimers: unknown = undefined;
  /** Resource limits, set by the kernel. */
  rlimits: unknown = undefined;
  /** The argument vector of the running program (mm's arg_start..arg_end, /proc/[pid]/cmdline), set at spawn and execve. */
  argv: readonly string[] = [];
  /** prctl(PR_SET_DUMPABLE): 1 (SUID_DUMP_USER) for a fresh process or after execve; 0 or 1 when set (mm->flags MMF_DUMPABLE). */
  dumpable = 1;
  /**
   * /proc/[pid]/oom_score_adj (signal_struct.oom_score_adj), -1000..1000,
   * and the lowest value an unprivileged write may set (oom_score_adj_min:
   * what a write with CAP_SYS_RESOURCE last set). Both inherited by fork.
   */
  oomScoreAdj = 0;
  oomScoreAdjMin = 0;
  /**
   * /proc/[pid]/coredump_filter (the MMF_DUMP_* bits of mm->flags): which
   * kinds of mapping a core dump writes. MMF_DUMP_FILTER_DEFAULT, 0x33 with
   * CONFIG_CORE_DUMP_DEFAULT_ELF_HEADERS (anonymous private and shared, ELF
   * headers, private huge pages); fork copies it and execve keeps it
   * (mm_init takes MMF_INIT_MASK from the old mm).
   */
  coredumpFilter = 0x33;
  /** The auxiliary vector the running image started with (mm->saved_auxv), AT_NULL left out; empty for a registered program. */
  auxv: readonly (readonly [number, number])[] = [];
  /** A core file was written for the signal that killed the process: wait4 shows WCOREDUMP (0x80). */
  coreDumped = false;
  /** prctl(PR_SET_CHILD_SUBREAPER) (signal_struct.is_child_subreaper): stored; orphans still go to the reaper. */
  childSubreaper = false;
  /**
   * What the process's finished parts used (signal_struct's utime/stime of
   * exited threads, maxrss and fault counts of address spaces it left by
   * execve), so getrusage(RUSAGE_SELF) keeps them; and what its reaped
   * children used (cutime, cstime, cmaxrss, cmin_flt...), added at wait.
   */
  readonly usage = { exited: emptyUsage(), children: emptyUsage() };
  /**
   * The file the process runs (mm->exe_file, what /proc/[pid]/exe names),
   * set by an execve of a real binary; null for a registered program.
   */
  exePath: string | null = null;
  private pgidValue: number;
  private sidValue: number;
  /** The allocator holding this process's ids while it is in a task table (`holdIds`). */
  private ids: PidAllocator | null = null;
  /**
   * PF_FORKNOEXEC: forked and not yet exec'd. setpgid(2) on a child answers
   * EACCES once it has exec'd (kernel/sys.c).
   */
  forkNoExec = false;
  /** The leader: the task whose tid is the tgid (after an execve from another thread, that thread). */
  leader!: Task;

  constructor(
    readonly tgid: number,
    /** The parent process, or null for a child of the reaper (pid 1's role). */
    public parent: ThreadGroup | null,
    /** The signal the parent gets at exit (SIGCHLD for fork; another makes a "clone child" for wait4). */
    public exitSignal: number,
    /** The program image path the process runs. */
    public program: string,
  ) {
    this.pgidValue = tgid;
    this.sidValue = tgid;
  }

  /**
   * The process group and session (signal_struct's pids[PIDTYPE_PGID] and
   * [PIDTYPE_SID]): a new process is its own group and session, a forked one
   * starts in its parent's (copy_process attaches the child to both). While
   * the process is in a task table, the ids it is attached to stay in use
   * (change_pid moves the attachment: the old id may become free).
   */
  get pgid(): number {
    return this.pgidValue;
  }

  set pgid(id: number) {
    this.ids?.hold(id);
    this.ids?.release(this.pgidValue);
    this.pgidValue = id;
  }

  get sid(): number {
    return this.sidValue;
  }

  set sid(id: number) {
    this.ids?.hold(id);
    this.ids?.release(this.sidValue);
    this.sidValue = id;
  }

  /**
   * The task table took the process in: its tgid, process group and session
   * are held in `ids` until `releaseIds` (attach_pid of PIDTYPE_TGID, PGID
   * and SID in copy_process).
   */
  holdIds(ids: PidAllocator): void {
    invariant(this.ids === null, 'a process is in one task table');
    this.ids = ids;
    ids.hold(this.tgid);
    ids.hold(this.pgidValue);
    ids.hold(this.sidValue);
  }

  /** The process left the table (release_task's __unhash_process): its ids may be given again. */
  releaseIds(): void {
    const ids = this.ids;
    if (ids === null) return;
    this.ids = null;
    ids.release(this.tgid);
    ids.release(this.pgidValue);
    ids.release(this.sidValue);
  }

  /** Whether this process leads its session (signal->leader, set by setsid). */
  get sessionLeader(): boolean {
    return this.sid === this.tgid;
  }

  get alive(): boolean {
    return this.state === 'running';
  }

  /** getppid(2): the parent's tgid, or 1 for a child of the reaper. */
  get ppid(): number {
    return this.parent?.tgid ?? 1;
  }

  /** The exit code the parent reads (WEXITSTATUS). */
  get exitStatus(): number {
    return (this.waitStatus >> 8) & 0xff;
  }

  /** Whether wait4 sees this child only with __WCLONE or __WALL (it does not signal SIGCHLD). */
  get isCloneChild(): boolean {
    return this.exitSignal !== Signal.SIGCHLD;
  }
}
