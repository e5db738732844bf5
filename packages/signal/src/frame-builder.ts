import type { SigAltStack } from './sigaltstack';
import type { SigAction } from './sigaction';
import type { SigInfo } from './siginfo';
import type { SignalSet } from './signal-set';

/**
 * User memory as a frame builder sees it: whole-buffer copies that answer 0,
 * or the signal the access raised (SIGSEGV/SIGBUS), as copy_to_user fails.
 */
export interface SignalFrameMemory {
  read(addr: number, into: Uint8Array): number;
  write(addr: number, from: Uint8Array): number;
}

/** One signal to set up a handler frame for (Linux's `struct ksignal` plus what setup_rt_frame reads). */
export interface SignalFrameRequest {
  readonly sig: number;
  readonly info: SigInfo;
  readonly action: SigAction;
  /** The mask to restore at rt_sigreturn (uc_sigmask). */
  readonly oldBlocked: SignalSet;
  /** The thread's alternate stack (uc_stack, and where the frame goes with SA_ONSTACK). */
  readonly altStack: SigAltStack;
}

/** What rt_sigreturn restores besides the registers, which the builder wrote back into the context. */
export interface SignalFrameRestore {
  readonly blocked: SignalSet;
  /** The saved uc_stack: the caller applies it as sigaltstack would (restore_altstack). */
  readonly altStack: SigAltStack;
}

/**
 * The architecture hook that builds the user-visible signal frame
 * (`rt_sigframe`: siginfo, ucontext with the saved registers and mask,
 * return address through sa_restorer or the vDSO) and undoes it at
 * rt_sigreturn. `Context` is the architecture's user register state. The
 * kernel decides what to deliver; the personality decides how it looks in
 * memory.
 */
export interface SignalFrameBuilder<Context> {
  /**
   * Push a frame onto the user stack (or the alternate stack) and point
   * `ctx` at the handler with its arguments. Returns 0, or the signal the
   * kernel forces when the frame cannot be written (force_sigsegv).
   */
  push(ctx: Context, memory: SignalFrameMemory, request: SignalFrameRequest): number;
  /**
   * rt_sigreturn: read the frame at the stack pointer of `ctx`, restore the
   * registers into `ctx`, and answer the mask and altstack to restore, or the
   * signal to force when the frame is unreadable.
   */
  restore(ctx: Context, memory: SignalFrameMemory): SignalFrameRestore | number;
}
