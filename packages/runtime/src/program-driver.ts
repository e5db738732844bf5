import { SYS_RISCV64 } from '@tskern/abi';
import { createCpuMemory, type TlbCpuMemory } from '@tskern/cpu-memory';
import type { Kernel } from '@tskern/kernel';
import type { AddressSpace } from '@tskern/mman';
import { Rv64Cpu, type CpuExit } from '@tskern/rv64';
import { isRiscv64UserContext, riscv64UserContext, signalHostOf, signalsPending, type Riscv64UserContext } from '@tskern/syscall';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { contextWords, restoreContext, saveContext, type ContextWords } from './context-sync';
import { ExactCpuAccounting, TickCpuAccounting, type CpuAccounting, type CpuTickSource } from './cpu-accounting';
import { raiseTrapSignal } from './fault-signals';

/** What the driver needs of a kernel: its runtime (scheduler and calls), task table and clock. */
export type DriverKernel = Pick<Kernel, 'runtime' | 'tasks' | 'clock'>;

/** Watches system calls (strace): `enter` before the call, `exit` once it completes (later, for a call that slept). */
export interface SyscallTracer {
  /** A call starts; what it returns is handed back to `exit`. */
  enter(task: Task, nr: number, args: readonly number[]): unknown;
  exit(token: unknown, result: number | bigint): void;
  /** A trap's signal `sig` killed `task` (strace's `--- SIGSEGV {...} ---` before `+++ killed by`). */
  trap?(task: Task, sig: number, exit: CpuExit): void;
  /** A handler of `sig` is about to run in `task`; its siginfo is at `siginfoAddr` in the task's memory. */
  signal?(task: Task, sig: number, siginfoAddr: number): void;
}

export interface ProgramDriverOptions {
  /** Instructions a task runs before the next one gets its turn (default 200 000). */
  readonly timeSlice?: number;
  /** Sleep the host for `ms` milliseconds while every task sleeps (default: Atomics.wait). */
  readonly sleep?: (ms: number) => void;
  readonly tracer?: SyscallTracer;
  /** Asked between time slices: true ends the run (`stopped`), for a caller's time limit. */
  readonly shouldStop?: () => boolean;
  /**
   * The host's clock for CPU accounting, in nanoseconds (default:
   * `performance.now()`): a task's time on the CPU is user time, its time in
   * system calls system time (`task.cpuTime`, for getrusage and times).
   */
  readonly cpuClockNs?: () => number;
  /**
   * A host timer's ticks: CPU time is then accounted as Linux's tick
   * accounting (the run time read from `cpuClockNs` when a task takes and
   * leaves the CPU, split between user and system by the ticks that fell in
   * each), instead of a clock read at every kernel entry and exit. Node
   * hosts get one from `hostCpuTicks` (@tskern/runtime/node).
   */
  readonly cpuTicks?: CpuTickSource;
}

/** How a run ended. */
export type DriverResult =
  /**
   * The process exited (`status` is its exit code) or was killed by
   * `signal` (then status is 128 + signal, the shell's convention);
   * `coreDumped` when that signal wrote a core file (WCOREDUMP).
   */
  | { readonly kind: 'exited'; readonly status: number; readonly signal: number; readonly coreDumped?: boolean }
  /** Every task sleeps and nothing can wake them: the runtime's report. */
  | { readonly kind: 'deadlock'; readonly message: string }
  /** `shouldStop` ended the run. */
  | { readonly kind: 'stopped' };

/** One thread's CPU, the context it is saved into, and the memory it runs on. */
interface Hart {
  readonly cpu: Rv64Cpu;
  words: ContextWords;
  /**
   * The CPU holds the context's registers as of its last trap (a restore
   * or a save since the hart was made or given a new context): a call
   * that returns then needs only a0 reloaded (see `returnToUser`).
   */
  synced: boolean;
  /**
   * The context lags the CPU: a futex call that did not sleep was made
   * without saving the registers (see `turn`), so only the context's a0
   * (the call's result) is newer than the CPU's; everything else is the
   * CPU's. Cleared by the next save, which comes before anything else can
   * read the context (the next trap, or the end of the turn).
   */
  stale: boolean;
  readonly mm: AddressSpace;
  /** Unregisters the CPU's decode cache from the memory's code watch. */
  readonly unwatch: () => void;
}

/** The TLB memory of one address space and the harts running on it (every thread of a process shares it). */
interface SharedMemory {
  readonly memory: TlbCpuMemory;
  users: number;
}

const TWO53 = 2 ** 53;
/** Slices between sweeps of dead tasks' CPUs (a sweep walks every hart). */
const SWEEP_EVERY = 256;
const EINTR = 4;
/** A bound on handler frames pushed in one return to user mode (each takes a queued signal, so it is never reached in practice). */
const MAX_FRAMES_PER_RETURN = 1024;

function defaultSleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
}

/**
 * Runs riscv64 tasks of a kernel, each on its own `Rv64Cpu`: the runtime
 * says who runs; the CPU runs a time slice; an ecall is the runtime's
 * syscall (its result written to a0, or the task parked until the runtime
 * completes it); a fault, ebreak or illegal instruction is the signal Linux
 * sends; each return to user mode goes through `returnToUser`, where a
 * caught signal's frame is built on the task's user context.
 *
 * The task's `userContext` (a `Riscv64UserContext`) is the saved state:
 * the CPU's registers are saved into it at every trap (a futex call that
 * does not sleep defers it: see `turn`) and restored from it
 * at every return, so signal frames, rt_sigreturn, execve (a new context)
 * and clone (the child's copy) all work on it. Every return from
 * `Rv64Cpu.run` drops the LR reservation, so an SC after a context switch fails.
 */
export class ProgramDriver {
  private readonly harts = new Map<Task, Hart>();
  private readonly memories = new Map<AddressSpace, SharedMemory>();
  /** Slices since dead tasks' harts were last swept (see `sweep`). */
  private slicesSinceSweep = 0;
  private readonly timeSlice: number;
  private readonly sleep: (ms: number) => void;
  private readonly tracer: SyscallTracer | undefined;
  private readonly shouldStop: () => boolean;
  private readonly accounting: CpuAccounting;
  /**
   * Tasks that exec'd from a thread other than the leader and took its tid:
   * the runtime may still hold the old leader's sleeping call under that tid,
   * whose result must not reach the new program's a0.
   */
  private readonly tookLeaderTid = new WeakSet<Task>();
  /** Tids whose sleeping call belonged to a leader an execve ended (see `tookLeaderTid`): cancelled, not retried. */
  private readonly staleCalls = new Set<number>();
  /** Calls that slept, to report to the tracer when they complete. */
  private readonly pendingTrace = new Map<Task, unknown>();

  constructor(private readonly kernel: DriverKernel, options: ProgramDriverOptions = {}) {
    this.timeSlice = options.timeSlice ?? 200_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.tracer = options.tracer;
    this.shouldStop = options.shouldStop ?? (() => false);
    const clockNs = options.cpuClockNs ?? (() => performance.now() * 1e6);
    this.accounting = options.cpuTicks !== undefined ? new TickCpuAccounting(clockNs, options.cpuTicks) : new ExactCpuAccounting(clockNs);
    // sigaltstack's "on the alternate stack" test reads the user sp, which the
    // driver saves into each task's context at every trap (a sigaltstack
    // call, a signal's delivery: never a deferred futex save).
    signalHostOf(kernel.tasks).stackPointer = (task) => task.abi.signalFrame?.stackPointer(task.userContext) ?? 0;
    // The runtime keys sleeping calls by tid; after de_thread a call of the
    // dead leader may still sit under the tid the exec'ing thread took over.
    // Interrupting it with this policy cancels it (its result is dropped).
    const rt = kernel.runtime;
    const policy = rt.interruptPolicy;
    rt.interruptPolicy = (tid, block) => {
      if (!this.staleCalls.delete(tid)) return policy(tid, block);
      block.cancel();
      return -EINTR;
    };
  }

  /** Run until process `pid` has ended (its other processes may still live), or nothing can run. */
  run(pid: number): DriverResult {
    const group = this.kernel.tasks.group(pid);
    if (group === undefined) return { kind: 'exited', status: 127, signal: 0 };
    // The host's time before this run is no task's.
    this.accounting.idle();
    try {
      return this.loop(group);
    } finally {
      this.sweep();
    }
  }

  private loop(group: ThreadGroup): DriverResult {
    const rt = this.kernel.runtime;
    for (;;) {
      if (!group.alive) return ended(group);
      if (this.shouldStop()) return { kind: 'stopped' };
      const step = rt.next();
      switch (step.kind) {
        case 'done':
          return ended(group);
        case 'deadlock':
          return { kind: 'deadlock', message: step.message };
        case 'idle': {
          this.sweep();
          if (step.until === null) return { kind: 'deadlock', message: 'every task sleeps and no timer is pending' };
          const clock = this.kernel.clock;
          if (clock.advanceTo !== undefined) clock.advanceTo(step.until);
          else this.sleep((step.until - clock.monotonicNs()) / 1e6);
          this.accounting.idle();
          break;
        }
        case 'run':
          // Tasks also die while others run (a group exit, a fatal signal): their harts go in batches.
          if (++this.slicesSinceSweep >= SWEEP_EVERY) this.sweep();
          this.slice(step.tid, step.result);
          break;
      }
    }
  }

  /**
   * The CPU of `task`, made from its user context on its first run (a new
   * process, a clone's child). Its memory is the TLB memory of the task's
   * address space, one per space however many threads use it; the CPU's
   * decode cache is told of every code page whose translation changes
   * (munmap, mprotect, mremap, MAP_FIXED over it, a COW break), so no call
   * needs a flush afterwards. Stores into code still need fence.i, as on
   * hardware (the CPU flushes its decode cache there).
   */
  private hartOf(task: Task): Hart {
    let hart = this.harts.get(task);
    const ctx = contextOf(task);
    if (hart === undefined) {
      const shared = this.memoryOf(task.mm);
      const cpu = new Rv64Cpu(shared.memory);
      const unwatch = shared.memory.watchCode((address, length) => cpu.invalidateCode(address, length));
      hart = { cpu, words: contextWords(ctx), synced: false, stale: false, mm: task.mm, unwatch };
      this.harts.set(task, hart);
    } else if (hart.words.ctx !== ctx) {
      hart.words = contextWords(ctx);
      hart.synced = false;
      hart.stale = false;
    }
    return hart;
  }

  private memoryOf(mm: AddressSpace): SharedMemory {
    let shared = this.memories.get(mm);
    if (shared === undefined) {
      shared = { memory: createCpuMemory(mm), users: 0 };
      this.memories.set(mm, shared);
    }
    shared.users++;
    return shared;
  }

  /** Drop the CPU of `task` (its exec or exit); the memory goes with its last user. */
  private release(task: Task): void {
    const hart = this.harts.get(task);
    if (hart === undefined) return;
    this.harts.delete(task);
    hart.unwatch();
    const shared = this.memories.get(hart.mm);
    if (shared !== undefined && --shared.users === 0) {
      shared.memory.dispose();
      this.memories.delete(hart.mm);
    }
  }

  /** Release the CPUs of tasks that have died since the last sweep. */
  private sweep(): void {
    this.slicesSinceSweep = 0;
    for (const task of this.harts.keys()) if (!task.alive) this.release(task);
  }

  /** Task `tid` runs for one time slice; `result` completes the call it slept in. */
  private slice(tid: number, result: number | bigint | null): void {
    const task = this.kernel.tasks.get(tid);
    if (task === undefined || !task.alive) return;
    const hart = this.hartOf(task);
    if (this.tookLeaderTid.has(task)) {
      this.tookLeaderTid.delete(task);
      result = null;
    }
    // The runtime has written `result` into a0 and built any signal frame
    // (exit_to_user_mode): writing a0 here again would clobber a handler's
    // signal number.
    if (result !== null) {
      const token = this.pendingTrace.get(task);
      if (token !== undefined) {
        this.pendingTrace.delete(task);
        this.tracer?.exit(token, result);
      }
    }
    // A call that slept and completed returns like one that did not: only
    // a0 changed unless pc moved (a signal frame, a restart).
    if (!this.returnToUser(task, hart, result !== null)) return;
    // CPU accounting (see CpuAccounting): at the turn's ends and at every
    // kernel entry and exit, never per instruction.
    const acct = this.accounting;
    acct.switchIn(task.cpuTime);
    this.turn(task, hart);
    acct.switchOut();
  }

  /** The task's turn on the CPU: it runs until it sleeps, is preempted or ends. */
  private turn(task: Task, start: Hart): void {
    const rt = this.kernel.runtime;
    const acct = this.accounting;
    let hart = start;
    let budget = this.timeSlice;
    for (;;) {
      const cpu = hart.cpu;
      const before = cpu.retired;
      const exit = cpu.run(budget);
      let callReturned = false;
      budget -= cpu.retired - before;
      // The trap saves the registers into the context for the kernel to
      // read, except for a futex call with no signal pending and no tracer
      // (the two ecalls of four in a futex ping-pong that do not sleep):
      // futex reads no register of its caller but its arguments (taken
      // from the CPU), and its return to user mode only writes a0 into the
      // context (handleSignal takes nothing while nothing is pending, and
      // futex sends no signal; timers fire only between turns, in the
      // scheduler). One that sleeps is saved as soon as it does, before any
      // other task or the runtime can look at it.
      const lazy = exit.kind === 'ecall' && exit.number === SYS_RISCV64.futex && this.tracer === undefined && !signalsPending(task);
      if (lazy) hart.stale = true;
      else {
        saveContext(cpu, hart.words);
        hart.stale = false;
      }
      acct.kernelEntry();
      if (exit.kind === 'budget') {
        rt.preempt(task.tid);
        return;
      }
      if (exit.kind === 'ecall') {
        const tidBefore = task.tid;
        const ctxBefore = hart.words.ctx;
        const nr = exit.number;
        // The arguments go in registers, not an array: a call is cheap enough that its garbage showed.
        const a0 = registerArg(cpu, 10), a1 = registerArg(cpu, 11), a2 = registerArg(cpu, 12);
        const a3 = registerArg(cpu, 13), a4 = registerArg(cpu, 14), a5 = registerArg(cpu, 15);
        const token = this.tracer?.enter(task, nr, [a0, a1, a2, a3, a4, a5].map(Number));
        const outcome = rt.syscall(tidBefore, nr, a0, a1, a2, a3, a4, a5);
        acct.kernelExit();
        // Children exist even while the parent sleeps in clone (CLONE_VFORK).
        if (nr === SYS_RISCV64.clone || nr === SYS_RISCV64.clone3) this.adoptClones(task, hart.words);
        if (typeof outcome === 'object') {
          if (hart.stale) {
            // Asleep: saved now, before anything but this call (which read nothing) could see the context.
            saveContext(cpu, hart.words);
            hart.stale = false;
          }
          if (token !== undefined) this.pendingTrace.set(task, token);
          return;
        }
        if (token !== undefined) this.tracer?.exit(token, outcome);
        if (!task.alive) {
          this.release(task);
          return;
        }
        if (task.userContext !== ctxBefore) {
          // execve: a new image, a new CPU (empty decode cache, FP state
          // cleared) on the new address space's memory; the old one is
          // disposed with its last user (a vfork parent still runs on it).
          this.release(task);
          hart = this.hartOf(task);
        } else {
          callReturned = true;
        }
        // The runtime wrote `outcome` into a0, then delivered what was pending (a frame's a0 is the signal).
        // execve from another thread took the leader's tid: the runtime meets it again under that tid.
        if (task.tid !== tidBefore) {
          this.tookLeaderTid.add(task);
          if (rt.blockOf(task.tid) !== undefined) {
            this.staleCalls.add(task.tid);
            rt.interrupt(task.tid);
          }
          return;
        }
      } else if (exit.kind === 'fault' && exit.fault === 'retry') {
        // The access must wait (a userfaultfd's missing page): the thread
        // sleeps, then reruns the instruction (pc is still at it).
        const wait = this.memories.get(hart.mm)?.memory.takeFaultWait() ?? null;
        if (wait !== null) {
          rt.waitInFault(task.tid, wait);
          return;
        }
      } else {
        const sig = raiseTrapSignal(task, exit);
        if (!task.alive) {
          this.tracer?.trap?.(task, sig, exit);
          this.release(task);
          return;
        }
      }
      if (!this.returnToUser(task, hart, callReturned)) return;
      if (budget <= 0) {
        if (hart.stale) {
          // The CPU took the call's result into a0 (returnToUser): its registers are all current.
          saveContext(cpu, hart.words);
          hart.stale = false;
        }
        rt.preempt(task.tid);
        return;
      }
    }
  }

  /**
   * Deliver what is pending, then load the CPU from the context. False when
   * the task is gone. As exit_to_user_mode_loop, delivery repeats while a
   * signal is deliverable: each handler's frame is pushed on the last one
   * (with its mask applied), so the last signal taken runs its handler first.
   */
  private returnToUser(task: Task, hart: Hart, callReturned = false): boolean {
    let delivered = false;
    for (let i = 0; i < MAX_FRAMES_PER_RETURN && task.alive; i++) {
      const sig = this.kernel.runtime.returnToUser(task.tid);
      if (sig === 0) break;
      delivered = true;
      // The frame is built: a1 holds the siginfo's address for the handler.
      this.tracer?.signal?.(task, sig, Number(hart.words.ctx.regs[11]));
    }
    if (!task.alive) return false;
    const words = hart.words;
    // A stale context (a futex call made without a save) took no signal frame: nothing was pending.
    if (callReturned && !delivered && hart.synced && (hart.stale || hart.cpu.pc === (words.regs[1]! >>> 0) * 2 ** 32 + (words.regs[0]! >>> 0))) {
      // A call that returned where it was made (no signal frame, no
      // rt_sigreturn, no restart: each of those moves pc) changed only a0:
      // the CPU still holds every other register since the trap. That
      // holds for a call that slept too: its CPU did not run meanwhile, and
      // the runtime built any signal frame (moving pc) before this turn.
      hart.cpu.xlo[10] = words.regs[20]!;
      hart.cpu.xhi[10] = words.regs[21]!;
    } else {
      restoreContext(hart.cpu, words);
      hart.synced = true;
    }
    return true;
  }

  /**
   * A clone's child starts as a copy of the parent's registers after the
   * call (copy_thread): a0 = 0, sp = the new stack when one was given, tp =
   * the TLS with CLONE_SETTLS. The task table gives the child the parent's
   * context object; each such child gets its own copy here.
   */
  private adoptClones(parent: Task, words: ContextWords): void {
    for (const child of this.kernel.tasks.tasks()) {
      if (child === parent || child.userContext !== words.ctx || this.harts.has(child)) continue;
      const ctx = riscv64UserContext(words.ctx.sigreturnTrampoline);
      ctx.regs.set(words.ctx.regs);
      ctx.fp.set(words.ctx.fp);
      ctx.regs[10] = 0n;
      if (child.startStack !== 0) ctx.regs[2] = BigInt(child.startStack);
      if (child.tls !== 0) ctx.regs[4] = BigInt.asUintN(64, BigInt(child.tls));
      child.userContext = ctx;
    }
  }
}

/** Register r as a syscall argument: a number when exact, else the 64-bit value. */
function registerArg(cpu: Rv64Cpu, r: number): number | bigint {
  const n = cpu.getRegisterNumber(r);
  return Math.abs(n) < TWO53 ? n : cpu.getRegister(r);
}

/** The task's riscv64 context (a task that never had one starts from zeros). */
function contextOf(task: Task): Riscv64UserContext {
  if (!isRiscv64UserContext(task.userContext)) task.userContext = riscv64UserContext();
  return task.userContext as Riscv64UserContext;
}

/** The exit status of an ended process, as a shell reports it. */
function ended(group: ThreadGroup): DriverResult {
  if (group.killedBy !== 0) {
    const base = { kind: 'exited', status: 128 + group.killedBy, signal: group.killedBy } as const;
    return group.coreDumped ? { ...base, coreDumped: true } : base;
  }
  return { kind: 'exited', status: group.exitStatus, signal: 0 };
}
