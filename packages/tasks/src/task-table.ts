import { CLONE, DEFAULT_STACK_LIMIT, Errno, Signal } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { AddressSpace, forkAddressSpace, mapStack, peakResidentBytes, setProgramBreak, type MemoryOptions } from '@tskern/mman';
import { Credentials, FdTable, credentialsForExec, type Vfs } from '@tskern/vfs';
import type { ArchAbi } from './arch-abi';
import { childContext } from './child-context';
import type { BinaryFormat, ExecImage } from './binary-format';
import { checkCloneFlags, type CloneArgs } from './clone-args';
import { NO_ALTSTACK, SignalActions } from '@tskern/signal';
import { WaitQueue } from '@tskern/sched';
import { Task, type TaskKernel } from './task';
import { PidAllocator, THREADS_MAX_DEFAULT } from './pid-allocator';
import { ThreadGroup } from './thread-group';
import type { UserMemory } from './user-memory';
import { addUsage } from './usage';

/** An executable image: what execve builds for the new program. */
export interface ProgramImage {
  /** Bytes of `[stack]`; default `DEFAULT_STACK_LIMIT` (8 MiB, RLIMIT_STACK's default). */
  readonly stackSize?: number;
  /**
   * Where the heap starts (start_brk, the page-aligned end of the image's
   * bss); default `DEFAULT_START_BRK`.
   */
  readonly startBrk?: number;
}

/**
 * Where the heap of a registered program starts: just past where Linux
 * loads a position-independent executable without address randomisation
 * (ELF_ET_DYN_BASE, 0x555555554000), leaving the image a megabyte.
 */
export const DEFAULT_START_BRK = 0x555555654000;

/** What a task table is built over. */
export interface TaskTableOptions {
  /** Address spaces' frames and limits. */
  readonly memory: MemoryOptions;
  readonly vfs: Vfs;
  /** RLIMIT_NOFILE of every new fd table (default 1024). */
  readonly fdLimit?: number;
  /** The signal actions of a spawned task (default: every signal at its default action). */
  readonly newSignalActions?: () => SignalActions;
  /** What other subsystems do at points of a task's life (futexes, signals); the kernel wires them. */
  readonly hooks?: TaskLifecycleHooks;
  /** How execve loads a file that is not a registered program (ELF, scripts); none: ENOENT as before. */
  readonly binaryFormat?: BinaryFormat;
}

/**
 * Points of a task's life where other subsystems act, as Linux calls into
 * them from kernel/exit.c, kernel/fork.c and fs/exec.c. Every hook is
 * optional; the composition root (or a test) wires them.
 */
export interface TaskLifecycleHooks {
  /**
   * The task lets go of its memory at exit or execve, before the
   * CLONE_CHILD_CLEARTID store (futex_exit_release / futex_exec_release:
   * the robust-futex walk).
   */
  releasingMm?(task: Task): void;
  /** 0 was stored at `addr` (CLONE_CHILD_CLEARTID, mm_release): a futex waiter there is woken. */
  childTidCleared?(task: Task, addr: number): void;
  /**
   * A process ended (it is a zombie now): its parent is notified
   * (do_notify_parent: SIGCHLD). True when the parent does not want the
   * zombie (SIGCHLD ignored or SA_NOCLDWAIT): the process is reaped at once.
   */
  groupExited?(group: ThreadGroup): boolean;
  /**
   * The parent of `task`'s process ended and `task` asked for a signal then
   * (prctl PR_SET_PDEATHSIG; forget_original_parent sends it, SEND_SIG_NOINFO
   * from the exiting parent `parent`).
   */
  parentDied?(task: Task, parent: ThreadGroup): void;
  /**
   * fork made process `child` of `parent`'s (not a new thread): it joins the
   * parent's control group (cgroup_post_fork).
   */
  processForked?(child: ThreadGroup, parent: ThreadGroup): void;
}

/** How spawn starts a process. */
export interface SpawnParams {
  readonly cred: Credentials;
  readonly abi: ArchAbi;
  /** Working directory (default `/`). */
  readonly cwd?: string;
  /** File mode creation mask (default 0o022). */
  readonly umask?: number;
  /** Another view of the task's memory (a test's fake); default: its address space. */
  readonly memory?: UserMemory;
  /** The argument vector (/proc/[pid]/cmdline); default `[path]`. */
  readonly argv?: readonly string[];
}

/** wait4's answer: a reaped child, 0 while children live but none has exited, or -errno. */
export type WaitResult = ThreadGroup | number;

const U32 = new Uint8Array(4);

/** The shared parts of a task, counted by their users (mm_users, files_struct.count, fs_struct.users, sighand.count). */
type Part = AddressSpace | FdTable | object;

/**
 * Every task of a kernel and the processes they form: spawn, clone (fork,
 * threads), execve, exit, exit_group and wait, as kernel/fork.c, fs/exec.c
 * and kernel/exit.c. tids come from one counter (pid 1 is the reaper's);
 * processes whose parent is gone belong to the reaper, which reaps them as
 * they exit.
 */
export class TaskTable {
  private readonly byTid = new Map<number, Task>();
  private readonly byTgid = new Map<number, ThreadGroup>();
  private readonly programs = new Map<string, ProgramImage>();
  private readonly users = new Map<Part, number>();
  /** Bumped whenever a task is created, ends, takes another tid or leaves the table (see `changes`). */
  private changeCount = 0;
  /** kernel.pid_max and the cyclic id cursor (alloc_pid). */
  readonly pids = new PidAllocator();
  /** kernel.threads-max (max_threads): clone is EAGAIN once this many tasks exist. */
  threadsMax = THREADS_MAX_DEFAULT;
  private readonly kernel: TaskKernel;

  constructor(private readonly options: TaskTableOptions) {
    this.kernel = { vfs: options.vfs, tasks: this };
  }

  /** Register an executable image under a path. */
  registerProgram(path: string, image: ProgramImage): void {
    this.programs.set(path, image);
  }

  program(path: string): ProgramImage | undefined {
    return this.programs.get(path);
  }

  /** Tasks created since boot, spawned and cloned (total_forks, /proc/stat's `processes`). */
  get created(): number {
    return this.pids.given;
  }

  /**
   * A count that moves whenever the set of tasks or of live tasks changes
   * (a task created, a thread ended, an execve's thread taking the leader's
   * tid, a process reaped): a runtime that mirrors the table (its run queue)
   * rescans only when it moved, not at every switch.
   */
  get changes(): number {
    return this.changeCount;
  }

  /** The task with this tid (live, or a dead leader of a zombie process), if any. */
  get(tid: number): Task | undefined {
    return this.byTid.get(tid);
  }

  /** The process with this tgid (running or zombie), if any. */
  group(tgid: number): ThreadGroup | undefined {
    return this.byTgid.get(tgid);
  }

  /** Every process, running and zombie. */
  groups(): IterableIterator<ThreadGroup> {
    return this.byTgid.values();
  }

  /** Every task in the table (live ones, and dead leaders of zombies). */
  tasks(): IterableIterator<Task> {
    return this.byTid.values();
  }

  /** How many tasks share `part` (1 when only its owner holds it). */
  usersOf(part: Part): number {
    return this.users.get(part) ?? 0;
  }

  /** Start a process from a registered program as a child of the reaper. Returns its task or -errno. */
  spawn(path: string, params: SpawnParams): Task | number {
    const image = this.programs.get(path);
    if (image === undefined) return -Errno.ENOENT;
    const vfs = this.options.vfs;
    const fs = vfs.newFsContext(params.umask ?? 0o022);
    const err = vfs.chdir({ fs, cred: Credentials.root() }, params.cwd ?? '/');
    if (err < 0) return err;
    const tid = this.allocTid();
    if (tid < 0) return tid;
    const mm = new AddressSpace(this.options.memory);
    const stack = mapStack(mm, image.stackSize ?? DEFAULT_STACK_LIMIT);
    setProgramBreak(mm, image.startBrk ?? DEFAULT_START_BRK);
    const group = new ThreadGroup(tid, null, Signal.SIGCHLD, path);
    const sighand = this.options.newSignalActions?.() ?? new SignalActions();
    const files = new FdTable(this.options.fdLimit);
    const task = this.newTask(tid, group, mm, files, fs, sighand, params.cred, params.abi, stack, params.memory);
    task.comm = commOf(path);
    group.argv = params.argv ?? [path];
    this.addGroup(group);
    return task;
  }

  /**
   * fork(2) for callers that know an id is free (tests, tools): a new
   * process with a copy-on-write address space (vfork is `clone` with
   * CLONE_VFORK|CLONE_VM). The syscall uses `clone`, which answers EAGAIN
   * when pid_max or threads-max leave no room.
   */
  fork(parent: Task): Task {
    const child = this.clone(parent, { flags: 0, exitSignal: Signal.SIGCHLD });
    invariant(typeof child !== 'number', () => `fork failed (${child}): no free pid or threads-max reached`);
    return child;
  }

  /**
   * An id for a new task (alloc_pid): not a task's, a process's (running or
   * zombie), nor any process group's or session's (their struct pid is still
   * held). The table holds each id in `pids` while it is attached (`setTid`,
   * `addGroup` and the group's pgid/sid), so this is a map look-up per id
   * passed, not a walk over every process.
   */
  private allocTid(): number {
    return this.pids.alloc();
  }

  /** `task` answers to `tid` (attach_pid PIDTYPE_PID): the id is held while the table maps it. */
  private setTid(tid: number, task: Task): void {
    if (!this.byTid.has(tid)) this.pids.hold(tid);
    this.byTid.set(tid, task);
  }

  /** No task answers to `tid` any more (detach_pid PIDTYPE_PID). */
  private deleteTid(tid: number): void {
    if (this.byTid.delete(tid)) this.pids.release(tid);
  }

  /** A new process enters the table; its tgid, process group and session are held. */
  private addGroup(group: ThreadGroup): void {
    this.byTgid.set(group.tgid, group);
    group.holdIds(this.pids);
  }

  /**
   * clone(2)/clone3(2) (copy_process): each part shared or copied by its
   * flag; CLONE_THREAD joins the caller's thread group, otherwise a new
   * process is a child of the caller's (CLONE_PARENT: of the caller's
   * parent). CLONE_PARENT_SETTID and CLONE_CHILD_SETTID store the tid (a
   * store that faults is ignored, as put_user there is); CLONE_CHILD_CLEARTID
   * and CLONE_SETTLS are recorded on the child. Returns the child or -errno.
   */
  clone(parent: Task, args: CloneArgs): Task | number {
    invariant(parent.alive, 'clone from a dead task');
    const flags = args.flags;
    const bad = checkCloneFlags(flags);
    if (bad < 0) return bad;
    const thread = (flags & CLONE.CLONE_THREAD) !== 0;
    // copy_process: EAGAIN past max_threads, then alloc_pid (taken first
    // here, so nothing is copied for a clone that cannot have an id).
    if (this.byTid.size >= this.threadsMax) return -Errno.EAGAIN;
    const tid = this.allocTid();
    if (tid < 0) return tid;
    const mm = (flags & CLONE.CLONE_VM) !== 0 ? parent.mm : forkAddressSpace(parent.mm);
    const files = (flags & CLONE.CLONE_FILES) !== 0 ? parent.files : parent.files.fork();
    const fs = (flags & CLONE.CLONE_FS) !== 0 ? parent.fs : parent.fs.fork();
    const sighand = (flags & CLONE.CLONE_SIGHAND) !== 0 ? parent.sighand : parent.sighand.fork();
    let group: ThreadGroup;
    if (thread) {
      group = parent.group;
    } else {
      const real = (flags & CLONE.CLONE_PARENT) !== 0 ? parent.group.parent : parent.group;
      group = new ThreadGroup(tid, real, args.exitSignal, parent.group.program);
      // copy_signal: the child process starts with the parent's resource limits.
      group.rlimits = structuredClone(parent.group.rlimits);
      // copy_signal: and its OOM-killer adjustment with the floor a privileged write set.
      group.oomScoreAdj = parent.group.oomScoreAdj;
      group.oomScoreAdjMin = parent.group.oomScoreAdjMin;
      // The child runs the same image: same argv (the mm's arg area is copied) and dumpable flag (mm->flags).
      group.argv = parent.group.argv;
      group.dumpable = parent.group.dumpable;
      group.coredumpFilter = parent.group.coredumpFilter;
      group.auxv = parent.group.auxv;
      group.exePath = parent.group.exePath;
      // copy_process: the child joins the caller's process group and session.
      group.pgid = parent.group.pgid;
      group.sid = parent.group.sid;
      group.forkNoExec = true;
      real?.children.add(group);
      this.addGroup(group);
    }
    const child = this.newTask(tid, group, mm, files, fs, sighand, parent.cred, parent.abi, { ...parent.stack }, undefined);
    child.sigmask = parent.sigmask;
    child.altStack = (flags & (CLONE.CLONE_VM | CLONE.CLONE_VFORK)) === CLONE.CLONE_VM ? NO_ALTSTACK : parent.altStack;
    child.userContext = childContext(parent, args.stack ?? 0, (flags & CLONE.CLONE_SETTLS) !== 0 ? (args.tls ?? 0) : null);
    child.startStack = args.stack ?? 0;
    child.comm = parent.comm;
    child.noNewPrivs = parent.noNewPrivs;
    child.cpuMask = parent.cpuMask;
    if ((flags & CLONE.CLONE_SETTLS) !== 0) child.tls = args.tls ?? 0;
    if ((flags & CLONE.CLONE_VFORK) !== 0) child.vforkDone = new WaitQueue('vfork');
    if ((flags & CLONE.CLONE_CHILD_CLEARTID) !== 0) child.clearChildTid = args.childTid ?? 0;
    if ((flags & CLONE.CLONE_PARENT_SETTID) !== 0) putTid(parent.mem, args.parentTid ?? 0, tid);
    if ((flags & CLONE.CLONE_CHILD_SETTID) !== 0) putTid(child.mem, args.childTid ?? 0, tid);
    if (!thread) this.options.hooks?.processForked?.(group, parent.group);
    return child;
  }

  /** The binary formats execve loads files with, if the kernel has any. */
  get binaryFormat(): BinaryFormat | undefined {
    return this.options.binaryFormat;
  }

  /**
   * execve(2) of a registered program (fs/exec.c): the other threads of the
   * group are killed and the caller takes the leader's tid (de_thread); the
   * task gets a new address space with a fresh `[stack]` and its own fd table
   * and signal actions (unshared), close-on-exec descriptors are closed and
   * handled signals reset. The command name becomes the path's last
   * component (__set_task_comm), `argv` (default `[path]`) what
   * /proc/[pid]/cmdline shows, and the process dumpable again
   * (setup_new_exec, without set-id bits). Returns 0 or -errno.
   */
  exec(task: Task, path: string, argv?: readonly string[]): number {
    const image = this.programs.get(path);
    if (image === undefined) return -Errno.ENOENT;
    const mm = new AddressSpace(this.options.memory);
    const stack = mapStack(mm, image.stackSize ?? DEFAULT_STACK_LIMIT);
    setProgramBreak(mm, image.startBrk ?? DEFAULT_START_BRK);
    this.beginNewExec(task, mm, stack, path, argv);
    return 0;
  }

  /**
   * execve(2) of an image a binary format built (the point of no return,
   * begin_new_exec): as `exec`, with the image's address space, stack and
   * user context; the process now runs `image.exePath` (/proc/[pid]/exe)
   * with `argv` (/proc/[pid]/cmdline; default `[filename]`).
   */
  commitExec(task: Task, image: ExecImage, argv?: readonly string[]): void {
    this.beginNewExec(task, image.mm, image.stack, image.filename, argv);
    task.userContext = image.userContext;
    task.group.exePath = image.exePath;
    task.group.auxv = image.auxv ?? [];
    task.tls = 0;
    task.startStack = 0;
    task.robustList = { head: 0, len: 0 };
  }

  /** begin_new_exec: de_thread, exec_mmap, unshare_files and close-on-exec, flush_signal_handlers, the new credentials. */
  private beginNewExec(task: Task, mm: AddressSpace, stack: { start: number; end: number }, program: string, argv?: readonly string[]): void {
    const group = task.group;
    for (const other of [...group.tasks]) if (other !== task) this.exitTask(other, 0);
    if (!task.isLeader) {
      this.changeCount++;
      this.deleteTid(task.tid);
      task.tid = group.tgid;
      group.leader = task;
      this.setTid(task.tid, task);
    }
    this.releaseMm(task);
    task.mm = mm;
    this.hold(mm);
    task.stack = stack;
    if (this.usersOf(task.files) > 1) {
      const files = task.files.fork();
      this.drop(task.files);
      task.files = files;
      this.hold(files);
    }
    task.files.execCloseOnExec();
    if (this.usersOf(task.sighand) > 1) {
      const sighand = task.sighand.fork();
      this.drop(task.sighand);
      task.sighand = sighand;
      this.hold(sighand);
    }
    task.sighand.resetForExec();
    task.altStack = NO_ALTSTACK;
    group.program = program;
    group.argv = argv ?? [program];
    group.dumpable = 1;
    group.auxv = []; // the new image's vector, if it has one, comes with it (commitExec)
    group.forkNoExec = false; // begin_new_exec clears PF_FORKNOEXEC
    task.comm = commOf(program);
    // The new program's capabilities (cap_bprm_creds_from_file, committed by begin_new_exec).
    task.cred = credentialsForExec(task.cred);
  }

  /**
   * exit(2): this thread ends (do_exit). Its parts go when it was their last
   * user; the process becomes a zombie when its last thread ends, with this
   * thread's code (or exit_group's, if one is under way).
   */
  exit(task: Task, code: number): void {
    if (!task.alive) return;
    this.exitTask(task, code);
    const group = task.group;
    if (group.tasks.size === 0) this.groupDead(group, group.groupExitCode ?? code);
  }

  /** exit_group(2): every thread of the process ends with `code` (do_group_exit). */
  exitGroup(task: Task, code: number): void {
    if (!task.alive) return;
    const group = task.group;
    group.groupExitCode = code;
    for (const t of [...group.tasks]) this.exitTask(t, code);
    this.groupDead(group, code);
  }

  /**
   * A signal's default action ends the process of `task` (do_group_exit
   * with the signal as the exit code): every thread ends and the wait
   * status is the signal number, with 0x80 (WCOREDUMP) when `coreDumped`
   * (coredump_finish sets it in group_exit_code once a core was written).
   */
  killGroup(task: Task, sig: number, coreDumped = false): void {
    if (!task.alive) return;
    task.group.killedBy = sig & 0x7f;
    task.group.coreDumped = coreDumped;
    this.exitGroup(task, 0);
  }

  /**
   * The part of wait4(2) that looks at children: a zombie child that
   * matches `pid` (> 0: that process; -1 any; 0 one in the caller's
   * process group; < -1 one in process group -pid, as kernel/exit.c's
   * eligible_pid) and the __WCLONE/__WALL choice is reaped and returned;
   * 0 when matching children exist but none has exited; -ECHILD without one.
   * With WNOWAIT the zombie is returned and left to be waited for again.
   */
  wait(caller: Task, pid: number, options: number): WaitResult {
    const all = (options & 0x40000000) !== 0; // __WALL
    const cloneOnly = (options & 0x80000000) !== 0; // __WCLONE
    let found = false;
    for (const child of caller.group.children) {
      if (pid > 0 ? child.tgid !== pid : pid === 0 ? child.pgid !== caller.group.pgid : pid < -1 && child.pgid !== -pid) continue;
      if (!all && child.isCloneChild !== cloneOnly) continue;
      found = true;
      if (!child.alive) {
        if ((options & 0x01000000) !== 0) return child; // WNOWAIT: report, leave the zombie
        // wait_task_zombie: the parent's cutime/cstime/cmaxrss/cmin_flt take the child's own and its children's.
        addUsage(caller.group.usage.children, child.usage.exited);
        addUsage(caller.group.usage.children, child.usage.children);
        caller.group.children.delete(child);
        this.remove(child);
        return child;
      }
    }
    return found ? 0 : -Errno.ECHILD;
  }

  private newTask(
    tid: number, group: ThreadGroup, mm: AddressSpace, files: FdTable, fs: Task['fs'], sighand: SignalActions,
    cred: Credentials, abi: ArchAbi, stack: { start: number; end: number }, memory: UserMemory | undefined,
  ): Task {
    const task = new Task(tid, group, mm, files, fs, sighand, cred, abi, stack, memory, this.kernel);
    if (group.tasks.size === 0 && group.tgid === tid) group.leader = task;
    group.tasks.add(task);
    for (const part of [mm, files, fs, sighand]) this.hold(part);
    this.setTid(tid, task);
    this.changeCount++;
    return task;
  }

  private hold(part: Part): void {
    this.users.set(part, (this.users.get(part) ?? 0) + 1);
  }

  /** Drop one user of `part`; true when that was the last. */
  private drop(part: Part): boolean {
    const n = (this.users.get(part) ?? 0) - 1;
    invariant(n >= 0, 'a shared part dropped more often than held');
    if (n === 0) this.users.delete(part);
    else this.users.set(part, n);
    return n === 0;
  }

  /**
   * mm_release: CLONE_CHILD_CLEARTID stores 0 at clear_child_tid when
   * others still use the address space (the futex wake is the futex
   * package's, hooked by the kernel); then this task stops using it.
   */
  private releaseMm(task: Task): void {
    // complete_vfork_done: the vfork parent may run again.
    const vfork = task.vforkDone;
    task.vforkDone = null;
    vfork?.wakeAll();
    const hooks = this.options.hooks;
    hooks?.releasingMm?.(task);
    const addr = task.clearChildTid;
    task.clearChildTid = 0;
    if (addr !== 0 && this.usersOf(task.mm) > 1) {
      putTid(task.mem, addr, 0);
      hooks?.childTidCleared?.(task, addr);
    }
    // do_exit and exec_mmap: setmax_mm_hiwater_rss(&signal->maxrss, mm) keeps the high-water mark past the mm.
    const exited = task.group.usage.exited;
    exited.maxRssBytes = Math.max(exited.maxRssBytes, peakResidentBytes(task.mm));
    if (this.drop(task.mm)) {
      // tskern counts faults per address space: the last user takes them into its process's totals.
      exited.minorFaults += task.mm.minorFaults;
      task.mm.releaseAll();
    }
  }

  /** One thread ends: it lets go of its parts; a non-leader's tid is free at once (threads reap themselves). */
  private exitTask(task: Task, code: number): void {
    task.state = 'dead';
    this.changeCount++;
    task.exitCode = code;
    // __exit_signal: a dead thread's times stay with its process.
    task.group.usage.exited.userNs += task.cpuTime.userNs;
    task.group.usage.exited.systemNs += task.cpuTime.systemNs;
    this.releaseMm(task);
    if (this.drop(task.files)) task.files.closeAll();
    if (this.drop(task.fs)) task.fs.release();
    this.drop(task.sighand);
    task.group.tasks.delete(task);
    if (!task.isLeader) this.deleteTid(task.tid);
  }

  /**
   * The last thread has gone: the process is a zombie for its parent, which
   * is woken if it waits (do_notify_parent); its children pass to the reaper.
   */
  private groupDead(group: ThreadGroup, code: number): void {
    group.state = 'zombie';
    group.waitStatus = group.killedBy !== 0 ? group.killedBy | (group.coreDumped ? 0x80 : 0) : (code & 0xff) << 8;
    group.parent?.childExit.wakeAll();
    for (const child of group.children) {
      child.parent = null;
      if (!child.alive) this.remove(child);
      else for (const t of child.tasks) if (t.pdeathSignal !== 0) this.options.hooks?.parentDied?.(t, group);
    }
    group.children.clear();
    const autoreap = this.options.hooks?.groupExited?.(group) === true;
    // exit_notify: an autoreaped child is released at once (release_task);
    // the parent's wait, woken above, then finds it gone (ECHILD when it was
    // the last), and its times are not added to the parent's children's.
    if (autoreap && group.parent !== null) {
      group.parent.children.delete(group);
      group.parent = null;
    }
    if (group.parent === null) this.remove(group);
  }

  private remove(group: ThreadGroup): void {
    this.changeCount++;
    if (this.byTgid.delete(group.tgid)) group.releaseIds();
    if (this.byTid.get(group.tgid) === group.leader) this.deleteTid(group.tgid);
  }
}

/** TASK_COMM_LEN less the NUL: the longest command name. */
const COMM_MAX = 15;

/** The command name execve gives: the path's last component, cut to 15 bytes (__get_task_comm's strscpy_pad). */
function commOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).slice(0, COMM_MAX);
}

/** Store a tid as a 32-bit int (put_user of a pid_t); a fault is ignored, as kernel/fork.c does. */
function putTid(mem: UserMemory, addr: number, tid: number): void {
  if (addr === 0) return;
  new DataView(U32.buffer).setInt32(0, tid, true);
  mem.copyOut(addr, U32, 0, 4);
}
