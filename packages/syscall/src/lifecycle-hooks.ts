import { userSigInfo } from '@tskern/signal';
import type { Task, TaskLifecycleHooks, ThreadGroup } from '@tskern/tasks';
import { releaseRobustList, wakeClearedChildTid } from './futex/robust-list';
import { noteShmRelease } from './ipc/shm';
import { notifyParent } from './signal/deliver';
import { sendSignal } from './signal/send-signal';

/** PR_SET_PDEATHSIG's signal to its process, SEND_SIG_NOINFO from the exiting parent (kernel/exit.c reparent_leader/forget_original_parent). */
function sendParentDeathSignal(task: Task, parent: ThreadGroup): void {
  sendSignal(task, userSigInfo(task.pdeathSignal, parent.tgid, parent.leader.cred.uid), false);
}

/**
 * What futexes and signals do at points of a task's life, for the task
 * table (`TaskTableOptions.hooks`): the robust-futex walk and System V shm's
 * shm_lpid when a task lets go of its memory (exit, execve), the futex wake after CLONE_CHILD_CLEARTID's
 * store, SIGCHLD to the parent when a process ends, and PR_SET_PDEATHSIG's
 * signal to the children of a process that ends.
 */
export const signalFutexHooks: TaskLifecycleHooks = {
  releasingMm: (task) => {
    releaseRobustList(task);
    noteShmRelease(task);
  },
  childTidCleared: wakeClearedChildTid,
  groupExited: notifyParent,
  parentDied: sendParentDeathSignal,
};
