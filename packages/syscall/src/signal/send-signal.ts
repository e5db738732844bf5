import {
  SIG, SignalSet, defaultAction, ignores, kernelSigInfo, SIG_DFL, userSigInfo, type SigInfo,
} from '@tskern/signal';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { doCoredump } from '../coredump/do-coredump';
import { signalHostOf } from './signal-host';
import { actionsOf, blockedOf, groupPending, sigpendingAccount, threadPending } from './signal-state';

const STOP_SIGNALS = SignalSet.of(SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU);
const CONT = SignalSet.of(SIG.SIGCONT);

/** Discard `set` from the group's queue and every thread's (flush_sigqueue_mask). */
function discardEverywhere(group: ThreadGroup, set: SignalSet): void {
  groupPending(group).discard(set);
  for (const t of group.tasks) threadPending(t).discard(set);
}

/**
 * Whether `sig` kills the group at once when it reaches a thread that does
 * not block it (complete_signal's sig_fatal): SIGKILL, or a SIG_DFL action
 * that terminates. tskern takes core-dump signals the same way; `killGroup`
 * writes the core.
 */
function isFatal(task: Task, sig: number): boolean {
  if (sig === SIG.SIGKILL) return true;
  if (actionsOf(task).get(sig).handler !== SIG_DFL) return false;
  const dfl = defaultAction(sig);
  return dfl === 'term' || dfl === 'core';
}

/**
 * Send a signal (kernel/signal.c send_signal_locked + complete_signal) to
 * one thread (`thread`: tkill, tgkill, faults) or to its process. A dying
 * process ignores it; stop signals discard a pending SIGCONT and SIGCONT
 * discards pending stop signals; a signal the target ignores (and does not
 * block) is dropped. Otherwise it is queued (EAGAIN past RLIMIT_SIGPENDING
 * for a queued real-time signal) and a thread that can take it is chosen: a
 * fatal signal ends the whole process now, otherwise the chosen thread is
 * interrupted. Returns 0 or -errno.
 */
export function sendSignal(target: Task, info: SigInfo, toThread: boolean): number {
  const group = target.group;
  if (!group.alive || group.groupExitCode !== null || !target.alive) return 0;
  const sig = info.signo;
  if (STOP_SIGNALS.has(sig)) discardEverywhere(group, CONT);
  if (sig === SIG.SIGCONT) discardEverywhere(group, STOP_SIGNALS);
  if (sig !== SIG.SIGKILL && ignores(actionsOf(target).get(sig), sig) && !blockedOf(target).has(sig)) return 0;
  const queue = toThread ? threadPending(target) : groupPending(group);
  const outcome = queue.enqueue(info, sigpendingAccount(target, target.cred.uid));
  if (typeof outcome === 'number') return outcome;
  if (outcome === 'coalesced') return 0;
  completeSignal(target, info, toThread);
  return 0;
}

/** complete_signal: find a thread that takes `sig`; kill the group for a fatal one, else interrupt it. */
function completeSignal(target: Task, info: SigInfo, toThread: boolean): void {
  const sig = info.signo;
  let chosen: Task | undefined;
  if (!blockedOf(target).has(sig) || sig === SIG.SIGKILL) chosen = target;
  else if (!toThread) {
    for (const t of target.group.tasks) {
      if (t.alive && !blockedOf(t).has(sig)) {
        chosen = t;
        break;
      }
    }
  }
  if (chosen === undefined) return; // stays pending until a thread unblocks it
  if (isFatal(chosen, sig)) {
    killGroup(chosen, sig, info);
    return;
  }
  signalHostOf(chosen.kernel.tasks).interrupt?.(chosen);
}

/**
 * The process of `task` ends, killed by `sig` (the wait status is the
 * signal number). For a signal whose default action dumps core (get_signal's
 * sig_kernel_coredump) the core is written first, while the memory is still
 * there, and a written core adds WCOREDUMP to the status. `info` is the
 * signal's siginfo for the core's NT_SIGINFO (SI_KERNEL when not known).
 */
export function killGroup(task: Task, sig: number, info?: SigInfo): void {
  const group = task.group;
  const dumped = task.alive && group.alive && defaultAction(sig) === 'core' && doCoredump(task, info ?? kernelSigInfo(sig));
  task.kernel.tasks.killGroup(task, sig, dumped);
}

/**
 * SIGPIPE for a write to a pipe or socket with no reader (fs/pipe.c
 * pipe_write: send_sig(SIGPIPE, current, 0)): to the writing thread, as
 * SI_USER from its own process. The write itself answers EPIPE.
 */
export function sendSigpipe(task: Task): number {
  return sendSignal(task, userSigInfo(SIG.SIGPIPE, task.pid, task.cred.uid), true);
}
