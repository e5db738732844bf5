import type { SigactionLayout, SignalFrameBuilder } from '@tskern/signal';
import type { Stat } from '@tskern/vfs';

/** clone(2)'s arguments once the architecture's register order is undone. */
export interface CloneRegisters {
  readonly flags: number;
  readonly stack: number;
  readonly parentTid: number;
  readonly childTid: number;
  readonly tls: number;
}

/**
 * What differs between architectures below the syscall table: the layouts a
 * handler writes and the argument orders it reads (gVisor's per-arch files;
 * Linux's arch/<arch>/). A task carries its `ArchAbi`; handlers ask it, so
 * they never test which architecture they run for. The syscall layer pairs
 * each ArchAbi with its table of numbers.
 */
export interface ArchAbi {
  /** `x86_64`, `riscv64` (as uname's machine field). */
  readonly name: string;
  /** `struct stat` as this architecture lays it out (cp_new_stat). */
  encodeStat(st: Stat): Uint8Array;
  /** clone(2)'s five register arguments, in this architecture's order (CONFIG_CLONE_BACKWARDS*). */
  cloneRegisters(a0: number, a1: number, a2: number, a3: number, a4: number): CloneRegisters;
  /** `struct sigaction` of rt_sigaction(2): x86-64 has sa_restorer, asm-generic (riscv64) does not. */
  readonly sigactionLayout: SigactionLayout;
  /**
   * The signal frame (`rt_sigframe`) of this architecture: built on the user
   * stack when a handler runs, read back by rt_sigreturn. Filled in by the
   * signal delivery work; absent until then.
   */
  readonly signalFrame?: SignalFrameAbi;
  /**
   * The user register state (`userContext`) of this architecture: what the
   * kernel writes into it at the syscall boundary and copies at clone.
   * Absent: contexts are opaque and copied with structuredClone.
   */
  readonly userContext?: UserContextAbi;
}

/** What copy_thread sets in a child's registers. */
export interface ChildRegisters {
  /** The new user stack pointer, or 0 to keep the parent's (clone's `stack`). */
  readonly stack: number;
  /** The thread pointer (CLONE_SETTLS), or null to keep the parent's. */
  readonly tls: number | null;
}

/**
 * A task's `userContext` as the kernel handles it (arch/<arch>/kernel/
 * process.c, signal.c, entry): the register file of record at the syscall
 * boundary, which the CPU driver resumes from.
 */
export interface UserContextAbi {
  /** Whether `ctx` is a context of this architecture (anything else is left alone). */
  owns(ctx: unknown): boolean;
  /** Write a syscall's result into the return register (a0, rax), as the syscall exit path does. */
  setReturnValue(ctx: unknown, value: number | bigint): void;
  /**
   * Rewind the context to re-execute the interrupted syscall instruction
   * (the -ERESTARTSYS path of handle_signal): the pc goes back over the trap
   * instruction and the register the result overwrote gets back what it
   * held (riscv64: a0 = orig_a0; x86-64: rax = orig_ax, the number).
   */
  rewindSyscall(ctx: unknown, nr: number, a0: number): void;
  /** copy_thread: the child's registers, a copy of the parent's with the return register 0. */
  forkContext(ctx: unknown, child: ChildRegisters): unknown;
}

/** The architecture's half of signal delivery (arch/<arch>/kernel/signal.c). */
export interface SignalFrameAbi {
  /** Bytes of the frame on the user stack. */
  readonly size: number;
  /**
   * The frame builder over a task's `userContext`; a context that is not
   * this architecture's is treated as a frame that cannot be built or read
   * (the signal to force).
   */
  readonly builder: SignalFrameBuilder<unknown>;
  /**
   * The syscall return register of the context (a0, rax): rt_sigreturn
   * answers it so that writing its result back leaves the restored value.
   */
  returnValue(ctx: unknown): number;
  /** The user stack pointer of the context (sp, rsp). */
  stackPointer(ctx: unknown): number;
}
