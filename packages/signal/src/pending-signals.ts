import { Errno } from '@tskern/abi';
import { invariant, checkInvariants } from '@tskern/assert';
import { SI, type SigInfo } from './siginfo';
import { SIGRTMIN } from './signal-numbers';
import { SignalSet } from './signal-set';

/**
 * RLIMIT_SIGPENDING accounting: Linux counts queued siginfos per user
 * (`ucounts` UCOUNT_RLIMIT_SIGPENDING) against the receiver's limit. The task
 * model passes the sender's-user account the receiver charges, or a fresh one
 * in tests.
 */
export interface SigpendingAccount {
  /** Take one queue slot; false when the limit is reached (the slot is not taken). */
  tryCharge(override: boolean): boolean;
  /** Give one slot back (the siginfo was delivered or discarded). */
  release(): void;
}

/** A counter with a limit: the default account of one user. */
export class SigpendingCounter implements SigpendingAccount {
  count = 0;
  constructor(public limit: number) {}
  tryCharge(override: boolean): boolean {
    // __sigqueue_alloc: the new count may reach the limit, not pass it.
    if (!override && this.count + 1 > this.limit) return false;
    this.count++;
    return true;
  }
  release(): void {
    invariant(this.count > 0, 'SigpendingCounter: release without charge');
    this.count--;
  }
}

/** What sending did: queued with its info, dropped as already pending, or pending without its info. */
export type SendOutcome = 'queued' | 'coalesced' | 'info-lost';

interface QueuedInfo {
  readonly info: SigInfo;
  readonly account: SigpendingAccount;
}

/**
 * A pending-signal queue (Linux's `struct sigpending`): the set of pending
 * signals and the queued siginfos. There is one per thread (tkill, tgkill,
 * faults) and one per thread group (kill). A standard signal that is already
 * pending is dropped (legacy_queue); a real-time one queues every instance
 * with its siginfo, each charged to RLIMIT_SIGPENDING.
 */
export class PendingSignals {
  private pendingSet = SignalSet.EMPTY;
  private readonly queue = new Map<number, QueuedInfo[]>();

  /** The pending signals. */
  get signals(): SignalSet {
    return this.pendingSet;
  }

  has(sig: number): boolean {
    return this.pendingSet.has(sig);
  }

  /** Number of queued siginfos of `sig` (for tests and /proc). */
  queuedCount(sig: number): number {
    return this.queue.get(sig)?.length ?? 0;
  }

  /**
   * Add a signal (kernel/signal.c __send_signal_locked). A standard signal
   * already pending is coalesced. Otherwise a siginfo is queued if the
   * account allows: standard signals, and any signal the kernel raises
   * (si_code >= 0), pass the limit (override_rlimit). When no slot is left,
   * a real-time signal sent with a code other than SI_USER (sigqueue, timers)
   * fails with EAGAIN; anything else becomes pending without its siginfo
   * (delivered as SI_USER from pid 0).
   */
  enqueue(info: SigInfo, account: SigpendingAccount): SendOutcome | number {
    const sig = info.signo;
    if (sig < SIGRTMIN && this.pendingSet.has(sig)) return 'coalesced';
    const override = sig < SIGRTMIN && info.code >= 0;
    let outcome: SendOutcome = 'queued';
    if (account.tryCharge(override)) {
      let list = this.queue.get(sig);
      if (list === undefined) this.queue.set(sig, (list = []));
      list.push({ info, account });
    } else {
      if (sig >= SIGRTMIN && info.code !== SI.SI_USER) return -Errno.EAGAIN;
      outcome = 'info-lost';
    }
    this.pendingSet = this.pendingSet.add(sig);
    checkInvariants(() => this.check());
    return outcome;
  }

  /**
   * Take one instance of pending `sig` (collect_signal): its first queued
   * siginfo; the signal stays pending while more instances are queued. A
   * signal pending without info yields SI_USER from pid 0, uid 0.
   */
  dequeue(sig: number): SigInfo {
    invariant(this.pendingSet.has(sig), () => `PendingSignals.dequeue: ${sig} not pending`);
    const list = this.queue.get(sig);
    const first = list?.shift();
    if (list !== undefined && list.length === 0) this.queue.delete(sig);
    if (list === undefined || list.length === 0) this.pendingSet = this.pendingSet.remove(sig);
    if (first === undefined) return { kind: 'kill', signo: sig, errno: 0, code: SI.SI_USER, pid: 0, uid: 0 };
    first.account.release();
    checkInvariants(() => this.check());
    return first.info;
  }

  /** Forget every instance of the signals in `set` (flush_sigqueue_mask: ignoring, SIGCONT vs stop signals). */
  discard(set: SignalSet): void {
    if (this.pendingSet.intersect(set).isEmpty()) return;
    for (const sig of set.intersect(this.pendingSet).toArray()) {
      for (const q of this.queue.get(sig) ?? []) q.account.release();
      this.queue.delete(sig);
    }
    this.pendingSet = this.pendingSet.minus(set);
    checkInvariants(() => this.check());
  }

  /** Forget everything (exit, execve of a new thread group: flush_sigqueue). */
  clear(): void {
    this.discard(SignalSet.FULL);
  }

  /** Every queued siginfo belongs to a pending signal; standard signals queue at most one. */
  check(): void {
    for (const [sig, list] of this.queue) {
      invariant(list.length > 0 && this.pendingSet.has(sig), `PendingSignals: stray queue for ${sig}`);
      invariant(sig >= SIGRTMIN || list.length === 1, `PendingSignals: standard signal ${sig} queued twice`);
    }
  }
}
