import { SIG, isValidSignal } from './signal-numbers';
import { SignalSet } from './signal-set';

/**
 * What SIG_DFL does (signal(7), and kernel/signal.c's SIG_KERNEL_*_MASK):
 * terminate, terminate with a core dump, ignore, stop the thread group, or
 * continue it.
 */
export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

const CORE = SignalSet.of(
  SIG.SIGQUIT, SIG.SIGILL, SIG.SIGTRAP, SIG.SIGABRT, SIG.SIGBUS, SIG.SIGFPE, SIG.SIGSEGV,
  SIG.SIGXCPU, SIG.SIGXFSZ, SIG.SIGSYS,
);
const IGNORE = SignalSet.of(SIG.SIGCHLD, SIG.SIGURG, SIG.SIGWINCH);
const STOP = SignalSet.of(SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU);

/**
 * Signals the kernel handles itself: never caught, blocked or ignored
 * (SIG_KERNEL_ONLY_MASK).
 */
export const KERNEL_ONLY_SIGNALS = SignalSet.of(SIG.SIGKILL, SIG.SIGSTOP);

/**
 * Signals a fault raises in the faulting thread: delivered before any other
 * pending signal (kernel/signal.c SYNCHRONOUS_MASK).
 */
export const SYNCHRONOUS_SIGNALS = SignalSet.of(
  SIG.SIGSEGV, SIG.SIGBUS, SIG.SIGILL, SIG.SIGTRAP, SIG.SIGFPE, SIG.SIGSYS,
);

/** The default action of `sig`; real-time signals terminate. */
export function defaultAction(sig: number): DefaultAction {
  if (!isValidSignal(sig)) throw new RangeError(`defaultAction: bad signal ${sig}`);
  if (CORE.has(sig)) return 'core';
  if (IGNORE.has(sig)) return 'ign';
  if (STOP.has(sig)) return 'stop';
  if (sig === SIG.SIGCONT) return 'cont';
  return 'term';
}

/** Whether `sig` can be caught, blocked or ignored (not SIGKILL or SIGSTOP: sig_kernel_only). */
export function isCatchable(sig: number): boolean {
  return !KERNEL_ONLY_SIGNALS.has(sig);
}
