import { SYNCHRONOUS_SIGNALS } from './default-action';
import type { SignalSet } from './signal-set';

/**
 * The signal to deliver next from `pending` with `blocked` masked
 * (kernel/signal.c next_signal): the lowest unblocked synchronous signal
 * (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS) if any, else the lowest
 * unblocked one; 0 when none.
 */
export function nextSignal(pending: SignalSet, blocked: SignalSet): number {
  const ready = pending.minus(blocked);
  if (ready.isEmpty()) return 0;
  const sync = ready.intersect(SYNCHRONOUS_SIGNALS);
  return sync.isEmpty() ? ready.lowest() : sync.lowest();
}
