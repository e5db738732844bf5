import type { TaskLifecycleHooks } from '@tskern/tasks';
import { releaseRobustList, wakeClearedChildTid } from './futex/robust-list';
import { notifyParent } from './signal/deliver';

/**
 * What futexes and signals do at points of a task's life, for the task
 * table (`TaskTableOptions.hooks`): the robust-futex walk when a task lets go
 * of its memory (exit, execve), the futex wake after CLONE_CHILD_CLEARTID's
 * store, and SIGCHLD to the parent when a process ends.
 */
export const signalFutexHooks: TaskLifecycleHooks = {
  releasingMm: releaseRobustList,
  childTidCleared: wakeClearedChildTid,
  groupExited: notifyParent,
};
