import { createDevFs, mountDev, type CharDevice, type DevFs, type RandomSource } from '@tskern/devices';
import type { FrameAllocator } from '@tskern/pagealloc';
import { PipeFs } from '@tskern/pipe';
import { HostClock, VirtualClock, type KernelClock, type TimerHandle } from '@tskern/sched';
import {
  interruptBlockedCall, provideBlockingServices, willRunHandler, sendSigpipe, signalHostOf, type SyscallDispatcher,
} from '@tskern/syscall';
import type { TaskTable } from '@tskern/tasks';
import type { Vfs } from '@tskern/vfs';
import { TaskRuntime } from './runtime';

/** The kernel's clock: the host's (default), a virtual one starting at boot, or one given. */
export type KernelClockOption = KernelClock | 'host' | 'virtual';

/** st_dev of /dev: devtmpfs is the fifth anonymous device on a booted Linux (0:5). */
const DEVTMPFS_DEVICE = 5;

/** The clock a kernel option stands for. */
export function kernelClock(option: KernelClockOption | undefined): KernelClock {
  if (option === undefined || option === 'host') return new HostClock();
  if (option === 'virtual') return new VirtualClock();
  return option;
}

/**
 * Mount devtmpfs on /dev with null, zero, full, random and urandom and the
 * `extra` devices of the host (before /dev/shm is mounted inside it).
 * Returns 0 or -errno.
 */
export function mountDevices(vfs: Vfs, frames: FrameAllocator, random: RandomSource | undefined, extra: readonly CharDevice[] = []): DevFs | number {
  const dev = createDevFs({ frames, deviceId: DEVTMPFS_DEVICE, ...(random !== undefined ? { random } : {}) });
  for (const d of extra) {
    const r = dev.addCharDevice(d);
    if (typeof r === 'number') return r;
  }
  const err = mountDev(vfs, dev);
  return err < 0 ? err : dev;
}

/** SIGPIPE (the only signal the blocking calls raise). */
const SIGPIPE = 13;

/**
 * Wire time, pipes and randomness into the syscall layer of `tasks`, and
 * build the runtime (scheduler over tids) the kernel answers `next()` with.
 * The signal machinery shares the clock and the scheduler's timers (alarm,
 * setitimer), wakes sleeping tasks through the runtime (signal_wake_up), and
 * decides how an interrupted call ends (EINTR, or restart: retried).
 */
export function wireBlocking(tasks: TaskTable, dispatcher: SyscallDispatcher, clock: KernelClock, random: RandomSource | undefined): TaskRuntime {
  // pipefs timestamps are milliseconds of realtime, as every inode's.
  const pipes = new PipeFs({ clock: () => Number(clock.realtimeNs() / 1_000_000n) });
  provideBlockingServices(tasks, {
    clock,
    pipes,
    ...(random !== undefined ? { random } : {}),
    raiseSignal: (task, signal) => {
      if (signal === SIGPIPE) sendSigpipe(task);
    },
  });
  const runtime = new TaskRuntime(tasks, dispatcher, clock);
  const host = signalHostOf(tasks);
  host.timers = {
    addTimer: (deadline, fire) => runtime.scheduler.addTimer(deadline, fire),
    cancelTimer: (handle) => runtime.scheduler.cancelTimer(handle as TimerHandle),
  };
  host.interrupt = (task) => {
    runtime.interrupt(task.tid);
  };
  runtime.interruptPolicy = (tid, block) => {
    const task = tasks.get(tid);
    if (task === undefined) return block.retry();
    const r = interruptBlockedCall(task, block);
    if (r !== 'restart') return r;
    // A handler runs first: the call restarts from user mode once it returned
    // (the pc rewound over the syscall instruction); with no handler, in place.
    return willRunHandler(task) ? 'rewind' : block.retry();
  };
  return runtime;
}
