import {
  CLD, SA, SIG, SIG_DFL, SIG_IGN, childSigInfo, defaultAction, nextSignal, takeSignal, type HandlerDelivery,
} from '@tskern/signal';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { killGroup, sendSignal } from './send-signal';
import { actionsOf, blockedOf, deliverable, groupPending, setBlocked, threadPending } from './signal-state';

/**
 * What the runtime does when `task` returns to user mode (get_signal): take
 * pending, unblocked signals in Linux's order. A default action that kills
 * ends the process here (wait status: the signal); ignored ones and SIGCONT
 * are consumed; a stop is consumed (tskern does not stop processes yet). A
 * caught signal is answered with the mask already installed for the
 * handler: the runtime's frame builder (the architecture's
 * `SignalFrameBuilder`) pushes the frame and rt_sigreturn restores
 * `oldBlocked`. Null when nothing is deliverable.
 */
export function takeDeliverableSignal(task: Task): HandlerDelivery | null {
  if (deliverable(task).isEmpty()) return null;
  for (;;) {
    if (!task.alive) return null;
    const d = takeSignal(threadPending(task), groupPending(task.group), blockedOf(task), actionsOf(task));
    if (d === null) return null;
    if (d.kind === 'handler') {
      setBlocked(task, d.blocked);
      // sigmask_to_save: after rt_sigsuspend the frame keeps the mask it replaced.
      const saved = task.savedSigmask;
      if (saved === null) return d;
      task.savedSigmask = null;
      return { ...d, oldBlocked: saved };
    }
    if (d.action === 'term' || d.action === 'core') {
      killGroup(task, d.sig, d.info);
      return null;
    }
    // 'stop': not modelled; the signal is consumed.
  }
}

/**
 * Act on pending, unblocked signals that need no user code, as the return to
 * user mode would (get_signal): ignored ones are consumed, one whose default
 * kills ends the process. Stops at the first signal with a handler, which
 * stays pending for the runtime (`takeDeliverableSignal`). Called when
 * signals become deliverable without being sent: rt_sigprocmask unblocking
 * them, rt_sigaction restoring SIG_DFL.
 */
export function settleDefaultSignals(task: Task): void {
  const actions = actionsOf(task);
  while (task.alive) {
    const blocked = blockedOf(task);
    let queue = threadPending(task);
    let sig = nextSignal(queue.signals, blocked);
    if (sig === 0) {
      queue = groupPending(task.group);
      sig = nextSignal(queue.signals, blocked);
      if (sig === 0) return;
    }
    const action = actions.get(sig);
    if (action.handler !== SIG_DFL && action.handler !== SIG_IGN) return;
    const info = queue.dequeue(sig);
    if (action.handler === SIG_IGN) continue;
    const dfl = defaultAction(sig);
    if (dfl === 'term' || dfl === 'core') killGroup(task, sig, info);
  }
}

/**
 * do_notify_parent: a process ended; its parent gets its exit signal
 * (SIGCHLD for fork children) with CLD_EXITED, CLD_KILLED or CLD_DUMPED. A parent that
 * ignores SIGCHLD, or set SA_NOCLDWAIT on it, does not want zombies: true
 * (autoreap), and under SIG_IGN no signal is sent at all (kernel/signal.c).
 */
export function notifyParent(group: ThreadGroup): boolean {
  const parent = group.parent;
  if (parent === null || !parent.alive || group.exitSignal === 0) return false;
  let sig = group.exitSignal;
  let autoreap = false;
  if (sig === SIG.SIGCHLD) {
    const action = actionsOf(parent.leader).get(SIG.SIGCHLD);
    if (action.handler === SIG_IGN || (action.flags & SA.SA_NOCLDWAIT) !== 0) {
      autoreap = true;
      if (action.handler === SIG_IGN) sig = 0;
    }
  }
  if (sig === 0) return autoreap;
  const code = group.killedBy === 0 ? CLD.CLD_EXITED : group.coreDumped ? CLD.CLD_DUMPED : CLD.CLD_KILLED;
  const status = group.killedBy !== 0 ? group.killedBy : group.exitStatus;
  const info = { ...childSigInfo(code, group.tgid, group.leader.cred.uid, status), signo: sig };
  sendSignal(parent.leader, info, false);
  return autoreap;
}
