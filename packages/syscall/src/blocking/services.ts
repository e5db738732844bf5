import { CryptoRandomSource, type RandomSource } from '@tskern/devices';
import { PipeFs } from '@tskern/pipe';
import { HostClock, type KernelClock } from '@tskern/sched';
import type { Task, TaskTable } from '@tskern/tasks';

/**
 * What the time, pipe and getrandom calls need of their kernel: its clock,
 * the pipefs pipes live on and the random source. The composition root
 * provides them (`provideBlockingServices`); a task table without them
 * (a handler test) gets the host clock, a fresh pipefs and the host CSPRNG.
 */
export interface BlockingServices {
  readonly clock: KernelClock;
  readonly pipes: PipeFs;
  readonly random: RandomSource;
  /** Send `signal` to `task` (SIGPIPE on a broken pipe); the signal machinery provides it, by default nothing happens. */
  readonly raiseSignal: (task: Task, signal: number) => void;
}

const byTable = new WeakMap<TaskTable, BlockingServices>();

/** Give the tasks of `tasks` these services (the kernel does, once, before any call). */
export function provideBlockingServices(tasks: TaskTable, services: Partial<BlockingServices> = {}): BlockingServices {
  const s: BlockingServices = {
    clock: services.clock ?? new HostClock(),
    pipes: services.pipes ?? new PipeFs(),
    random: services.random ?? new CryptoRandomSource(),
    raiseSignal: services.raiseSignal ?? (() => {}),
  };
  byTable.set(tasks, s);
  return s;
}

/** The services of `task`'s kernel. */
export function blockingServices(task: Task): BlockingServices {
  return byTable.get(task.kernel.tasks) ?? provideBlockingServices(task.kernel.tasks);
}
