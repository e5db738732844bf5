import type { AddressSpace } from '@tskern/mman';
import type { WaitQueue } from '@tskern/sched';
import type { Credentials, FdTable, FsContext, Vfs } from '@tskern/vfs';
import type { ArchAbi } from './arch-abi';
import { NO_ALTSTACK, PendingSignals, SignalSet, type SigAltStack, type SignalActions } from '@tskern/signal';
import type { TaskTable } from './task-table';
import type { ThreadGroup } from './thread-group';
import { addressSpaceMemory, type UserMemory } from './user-memory';

/** What a task reaches of the kernel it runs in. */
export interface TaskKernel {
  readonly vfs: Vfs;
  readonly tasks: TaskTable;
}

/** A task runs until it exits; then it is dead (a dead leader stays while its group is a zombie). */
export type TaskState = 'running' | 'dead';

/**
 * A thread (Linux's `task_struct`, gVisor's `kernel.Task`). Its parts are
 * objects that clone flags share or copy: `mm` (CLONE_VM), `files`
 * (CLONE_FILES), `fs` — root, cwd, umask (CLONE_FS), `sighand` (CLONE_SIGHAND)
 * and `group`, the thread group, which is the process (CLONE_THREAD). The
 * task table counts the users of each shared part and releases it with the
 * last one.
 *
 * `cred` is this task's own immutable credentials object: setuid and friends
 * replace it (commit_creds), so the next permission check sees the change.
 *
 * A task is what a file operation of `@tskern/vfs` calls an `FsTask`
 * (`fs`, `cred`, `pid`), so handlers pass it to the VFS as is.
 */
export class Task {
  state: TaskState = 'running';
  /** The thread's exit code (exit(2)'s argument), once dead. */
  exitCode = 0;

  /** set_tid_address / CLONE_CHILD_CLEARTID: where 0 is written (and a futex woken) at exit; 0 for none. */
  clearChildTid = 0;
  /** CLONE_SETTLS: the thread pointer the child starts with (the architecture's user context applies it). */
  tls = 0;
  /** clone's stack argument: the stack pointer the child starts with; 0 keeps the parent's. */
  startStack = 0;
  /** set_robust_list: the head of the robust futex list and its size; 0 for none. */
  robustList = { head: 0, len: 0 };
  /** The blocked signal mask (SIGKILL and SIGSTOP never in it). */
  sigmask: SignalSet = SignalSet.EMPTY;
  /**
   * The mask rt_sigsuspend replaced (saved_sigmask with TIF_RESTORE_SIGMASK):
   * a handler frame saves it instead of the temporary one, and the return to
   * user mode restores it when no handler runs; null when none is saved.
   */
  savedSigmask: SignalSet | null = null;
  /** Signals pending for this thread only (tgkill, faults): `@tskern/signal`'s queue, set by the kernel. */
  readonly pending = new PendingSignals();
  /** sigaltstack(2). */
  altStack: SigAltStack = NO_ALTSTACK;
  /**
   * CLONE_VFORK: woken (and cleared) when this child releases the memory it
   * shares with its parent, at execve or exit (complete_vfork_done); the
   * parent's clone sleeps on it. null otherwise.
   */
  vforkDone: WaitQueue | null = null;
  /** The architecture's user context (registers), owned by the runtime that runs the task. */
  userContext: unknown = undefined;
  /**
   * The command name (task_struct.comm, TASK_COMM_LEN 16 with the NUL): the
   * executable's base name at spawn and execve (__set_task_comm), kept by
   * clone, changed by prctl(PR_SET_NAME); /proc/[pid]/comm and status show it.
   */
  comm = '';
  /**
   * CPU time this thread has used (utime and stime), in ns. tskern does not
   * measure time itself: a runtime that runs the task's code adds what it
   * spent (user) and what its syscalls took (system). getrusage, times and
   * wait4's rusage read it; untouched, it stays 0.
   */
  readonly cpuTime = { userNs: 0, systemNs: 0 };
  /** prctl(PR_SET_PDEATHSIG): the signal this thread gets when its parent exits (0: none); cleared by fork, as copy_process does. */
  pdeathSignal = 0;
  /**
   * sched_setaffinity(2): the CPUs this thread may run on, one bit per CPU
   * (task_struct.cpus_mask); null for every CPU of the kernel. Kept by clone.
   */
  cpuMask: bigint | null = null;
  /** prctl(PR_SET_NO_NEW_PRIVS): sticky, inherited by clone and kept across execve. */
  noNewPrivs = false;

  constructor(
    /** The thread id; the thread group's id is the leader's tid. */
    public tid: number,
    public group: ThreadGroup,
    public mm: AddressSpace,
    public files: FdTable,
    public fs: FsContext,
    public sighand: SignalActions,
    public cred: Credentials,
    /** The architecture this task's syscalls and layouts follow. */
    public abi: ArchAbi,
    /** The `[stack]` mapping the program started with. */
    public stack: { start: number; end: number },
    /** Another view of the task's memory (a test's fake); by default its address space's. */
    memory: UserMemory | undefined,
    readonly kernel: TaskKernel,
  ) {
    this.mem = memory ?? addressSpaceMemory(this);
  }

  /** This task's memory for copy-in and copy-out (it follows `mm` across execve). */
  readonly mem: UserMemory;

  /** getpid(2): the thread group's id. */
  get pid(): number {
    return this.group.tgid;
  }

  /** The VFS (handlers pass the task itself as the caller). */
  get vfs(): Vfs {
    return this.kernel.vfs;
  }

  get alive(): boolean {
    return this.state === 'running';
  }

  /** Whether this task leads its thread group (its tid is the tgid). */
  get isLeader(): boolean {
    return this.group.leader === this;
  }
}
