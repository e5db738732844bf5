import { SysvShmNamespace } from '@tskern/shmfs';
import type { Task, TaskTable } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';

const byTable = new WeakMap<TaskTable, SysvShmNamespace>();

/** Give the tasks of `tasks` their IPC namespace (the kernel does, once: tskern has one per kernel). */
export function provideIpcNamespace(tasks: TaskTable, namespace: SysvShmNamespace): SysvShmNamespace {
  byTable.set(tasks, namespace);
  return namespace;
}

/**
 * The System V shared memory namespace of `task`'s kernel; a task table the
 * kernel did not set up (a handler test) gets one over the task's frames and
 * its kernel clock.
 */
export function ipcNamespace(task: Task): SysvShmNamespace {
  const known = byTable.get(task.kernel.tasks);
  if (known !== undefined) return known;
  const clock = blockingServices(task).clock;
  return provideIpcNamespace(
    task.kernel.tasks,
    new SysvShmNamespace({ frames: task.mm.frames, nowSeconds: () => Number(clock.realtimeNs() / 1_000_000_000n) }),
  );
}
