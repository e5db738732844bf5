import { Errno } from '@tskern/abi';
import {
  SignalSet, checkSigsetSize, decodeSigaction, encodeSigaction, type SigAction,
} from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { settleDefaultSignals } from './deliver';
import { actionsOf, groupPending, threadPending } from './signal-state';

/**
 * rt_sigaction(2) (kernel/signal.c): EINVAL unless sigsetsize is 8; the new
 * action is read first (EFAULT), then do_sigaction's checks (EINVAL for a
 * bad number, or for SIGKILL/SIGSTOP with a new action); the old action is
 * written last (EFAULT). The layout of `struct sigaction` is the task's
 * architecture's (x86-64 has sa_restorer, riscv64 does not). An action that
 * ignores the signal discards its pending instances in every thread.
 */
export function sysRtSigaction(task: Task, sig: number, actAddr: number, oactAddr: number, sigsetsize: number): number {
  const size = checkSigsetSize(sigsetsize);
  if (size < 0) return size;
  const layout = task.abi.sigactionLayout;
  let act: SigAction | null = null;
  if (actAddr !== 0) {
    const buf = new Uint8Array(layout.size);
    if (task.mem.copyIn(actAddr, buf, 0, layout.size) < 0) return -Errno.EFAULT;
    act = decodeSigaction(buf, layout);
  }
  const actions = actionsOf(task);
  const old = actions.query(sig);
  if (typeof old === 'number') return old;
  if (act !== null) {
    const change = actions.set(sig, act);
    if (typeof change === 'number') return change;
    if (change.discardPending) {
      const set = SignalSet.of(sig);
      groupPending(task.group).discard(set);
      for (const t of task.group.tasks) threadPending(t).discard(set);
    }
  }
  if (oactAddr !== 0) {
    const buf = new Uint8Array(layout.size);
    encodeSigaction(old, buf, layout);
    if (task.mem.copyOut(oactAddr, buf, 0, layout.size) < 0) return -Errno.EFAULT;
  }
  if (act !== null) settleDefaultSignals(task);
  return 0;
}
