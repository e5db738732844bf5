import { Errno } from '@tskern/abi';
import { KERNEL_ONLY_SIGNALS } from './default-action';
import { SIGSET_SIZE, type SignalSet } from './signal-set';

/** rt_sigprocmask's `how` (include/uapi/asm-generic/signal-defs.h). */
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** EINVAL unless `sigsetsize` is sizeof(sigset_t), as every rt_sig* call checks first. */
export function checkSigsetSize(sigsetsize: number): number {
  return sigsetsize === SIGSET_SIZE ? 0 : -Errno.EINVAL;
}

/**
 * The blocked mask after rt_sigprocmask(how, set) (kernel/signal.c
 * sigprocmask): block, unblock or replace; SIGKILL and SIGSTOP are never
 * blocked. A bad `how` is EINVAL. The caller calls this only with a set:
 * Linux ignores `how` when `set` is NULL.
 */
export function applySigprocmask(blocked: SignalSet, how: number, set: SignalSet): SignalSet | number {
  const wanted = set.minus(KERNEL_ONLY_SIGNALS);
  switch (how) {
    case SIG_BLOCK:
      return blocked.union(wanted);
    case SIG_UNBLOCK:
      return blocked.minus(wanted);
    case SIG_SETMASK:
      return wanted;
    default:
      return -Errno.EINVAL;
  }
}

/** A mask a task may hold: any set without SIGKILL and SIGSTOP (sigsuspend, rt_sigreturn, signal delivery). */
export function sanitizeBlocked(set: SignalSet): SignalSet {
  return set.minus(KERNEL_ONLY_SIGNALS);
}
