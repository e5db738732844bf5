import { defaultAction, KERNEL_ONLY_SIGNALS } from './default-action';
import { nextSignal } from './next-signal';
import type { PendingSignals } from './pending-signals';
import { SA, SIG_DFL, SIG_IGN, type SigAction } from './sigaction';
import type { SigInfo } from './siginfo';
import type { SignalActions } from './signal-actions';
import type { SignalSet } from './signal-set';

/** Run the user's handler: the frame builder pushes a frame and the thread continues there. */
export interface HandlerDelivery {
  readonly kind: 'handler';
  readonly sig: number;
  readonly info: SigInfo;
  /** The action as it was when the signal was taken (before SA_RESETHAND reset it). */
  readonly action: SigAction;
  /** The mask to restore at rt_sigreturn (saved in the frame's uc_sigmask). */
  readonly oldBlocked: SignalSet;
  /** The mask while the handler runs. */
  readonly blocked: SignalSet;
}

/**
 * The default action happens: terminate the thread group (with a core dump
 * for 'core', which tskern reports in the wait status only), or stop it.
 * tskern keeps stop simple: the caller stops the group until SIGCONT or
 * SIGKILL; job-control subtleties (orphaned process groups ignoring SIGTSTP,
 * SIGTTIN, SIGTTOU; ptrace) are not modelled.
 */
export interface DefaultDelivery {
  readonly kind: 'default';
  readonly sig: number;
  readonly info: SigInfo;
  readonly action: 'term' | 'core' | 'stop';
}

export type Delivery = HandlerDelivery | DefaultDelivery;

/** The mask while a handler of `sig` runs (signal_delivered): sa_mask, plus `sig` unless SA_NODEFER. */
export function blockedDuringHandler(blocked: SignalSet, sig: number, action: SigAction): SignalSet {
  let next = blocked.union(action.mask);
  if ((action.flags & SA.SA_NODEFER) === 0) next = next.add(sig);
  return next.minus(KERNEL_ONLY_SIGNALS);
}

/**
 * Take the next signal to act on (kernel/signal.c get_signal): the thread's
 * own queue first, then the thread group's; ignored signals (SIG_IGN, or
 * SIG_DFL of an ignore-by-default signal, SIGCONT included: its continuing
 * happened when it was sent) are consumed and skipped. A caught signal with
 * SA_RESETHAND resets its action to SIG_DFL here. Returns null when nothing
 * is deliverable. The caller installs `blocked` (handler) or acts on the
 * default (terminate, stop).
 */
export function takeSignal(
  threadPending: PendingSignals,
  sharedPending: PendingSignals,
  blocked: SignalSet,
  actions: SignalActions,
): Delivery | null {
  for (;;) {
    let queue = threadPending;
    let sig = nextSignal(threadPending.signals, blocked);
    if (sig === 0) {
      queue = sharedPending;
      sig = nextSignal(sharedPending.signals, blocked);
      if (sig === 0) return null;
    }
    const info = queue.dequeue(sig);
    const action = actions.get(sig);
    if (action.handler === SIG_IGN) continue;
    if (action.handler !== SIG_DFL) {
      if ((action.flags & SA.SA_RESETHAND) !== 0) actions.resetToDefault(sig);
      return {
        kind: 'handler', sig, info, action, oldBlocked: blocked,
        blocked: blockedDuringHandler(blocked, sig, action),
      };
    }
    const dfl = defaultAction(sig);
    if (dfl === 'ign' || dfl === 'cont') continue;
    return { kind: 'default', sig, info, action: dfl };
  }
}

/**
 * How a blocking call that a signal interrupted reports (Linux's
 * -ERESTARTSYS, -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK, -ERESTARTNOINTR,
 * and `never` for a call that answers -EINTR itself). The first three and
 * `never` are the syscall layer's Block restart kinds.
 */
export type SyscallRestart = 'sys' | 'nohand' | 'restartblock' | 'nointr' | 'never';

/**
 * What the interrupted call does (arch handle_signal / arch_do_signal_or_restart):
 * with a handler about to run, 'sys' restarts only under SA_RESTART, 'nohand'
 * and 'restartblock' give EINTR, 'nointr' restarts; with no handler (the
 * signal was ignored or stopped the task), every kind but `never` restarts.
 */
export function restartAfterSignal(kind: SyscallRestart, handler: SigAction | null): 'restart' | 'eintr' {
  if (kind === 'never') return 'eintr';
  if (handler === null) return 'restart';
  switch (kind) {
    case 'nointr':
      return 'restart';
    case 'sys':
      return (handler.flags & SA.SA_RESTART) !== 0 ? 'restart' : 'eintr';
    case 'nohand':
    case 'restartblock':
      return 'eintr';
  }
}
