import { Errno } from '@tskern/abi';
import { defaultAction, isCatchable, KERNEL_ONLY_SIGNALS } from './default-action';
import { DEFAULT_SIGACTION, SIG_DFL, SIG_IGN, type SigAction } from './sigaction';
import { isValidSignal, NSIG } from './signal-numbers';

/** What installing an action changed (a successful rt_sigaction with a new action). */
export interface SigactionChange {
  readonly old: SigAction;
  /**
   * The new disposition ignores the signal: the caller discards it from the
   * thread group's shared pending set and every thread's (as do_sigaction
   * does, POSIX 3.3.1.3).
   */
  readonly discardPending: boolean;
}

/** Whether `action` ignores `sig` (sig_handler_ignored: SIG_IGN, or SIG_DFL of an ignored-by-default signal). */
export function ignores(action: SigAction, sig: number): boolean {
  return action.handler === SIG_IGN || (action.handler === SIG_DFL && defaultAction(sig) === 'ign');
}

/**
 * The signal actions of a thread group (Linux's `struct sighand_struct`):
 * one `SigAction` per signal. CLONE_SIGHAND shares the object (the task model
 * holds the reference count); fork copies it (`clone`); execve resets every
 * caught signal to SIG_DFL and keeps ignored ones ignored (`resetForExec`).
 */
export class SignalActions {
  private readonly actions: SigAction[];

  constructor(from?: SignalActions) {
    this.actions = from ? from.actions.slice() : new Array<SigAction>(NSIG + 1).fill(DEFAULT_SIGACTION);
  }

  /** The action of a valid signal number. */
  get(sig: number): SigAction {
    return this.actions[sig] ?? DEFAULT_SIGACTION;
  }

  /** rt_sigaction's read side: the action, or -EINVAL for a bad number. */
  query(sig: number): SigAction | number {
    return isValidSignal(sig) ? this.get(sig) : -Errno.EINVAL;
  }

  /**
   * rt_sigaction's write side (kernel/signal.c do_sigaction): EINVAL for a
   * bad number or for SIGKILL/SIGSTOP; SIGKILL and SIGSTOP are removed from
   * the mask (they can never be blocked).
   */
  set(sig: number, action: SigAction): SigactionChange | number {
    if (!isValidSignal(sig) || !isCatchable(sig)) return -Errno.EINVAL;
    const old = this.get(sig);
    const stored: SigAction = {
      handler: action.handler,
      flags: action.flags >>> 0,
      restorer: action.restorer,
      mask: action.mask.minus(KERNEL_ONLY_SIGNALS),
    };
    this.actions[sig] = stored;
    return { old, discardPending: ignores(stored, sig) };
  }

  /** A copy for fork (copy_sighand without CLONE_SIGHAND). */
  clone(): SignalActions {
    return new SignalActions(this);
  }

  /** The child's copy at fork: `clone` under the name the task model's sighand interface uses. */
  fork(): SignalActions {
    return this.clone();
  }

  /**
   * execve (flush_signal_handlers with force_default 0): every handler that
   * is not SIG_IGN becomes SIG_DFL; flags, restorer and mask are cleared.
   */
  resetForExec(): void {
    for (let sig = 1; sig <= NSIG; sig++) {
      const a = this.actions[sig]!;
      this.actions[sig] = a.handler === SIG_IGN ? { ...DEFAULT_SIGACTION, handler: SIG_IGN } : DEFAULT_SIGACTION;
    }
  }

  /**
   * SA_RESETHAND at delivery (get_signal's SA_ONESHOT): the handler runs once,
   * then the disposition is SIG_DFL again.
   */
  resetToDefault(sig: number): void {
    this.actions[sig] = DEFAULT_SIGACTION;
  }
}
