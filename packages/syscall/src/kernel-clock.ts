/** The clocks of a kernel (the shape of `@tskern/sched`'s KernelClock). */
export interface KernelTimeSource {
  /** CLOCK_MONOTONIC, ns since boot. */
  monotonicNs(): number;
  /** CLOCK_REALTIME, ns since the epoch. */
  realtimeNs(): bigint;
}

const hostStart = performance.now();
/** Until the composition root gives one, time is the host's. */
const HOST_TIME: KernelTimeSource = {
  monotonicNs: () => Math.round((performance.now() - hostStart) * 1e6),
  realtimeNs: () => BigInt(Date.now()) * 1_000_000n,
};

const clocks = new WeakMap<object, KernelTimeSource>();

/** The clock of the kernel whose task table is `tasks`. */
export function kernelClockOf(tasks: object): KernelTimeSource {
  return clocks.get(tasks) ?? HOST_TIME;
}

/** Give a kernel its clock (the scheduler's, a virtual one in tests). */
export function setKernelClock(tasks: object, clock: KernelTimeSource): void {
  clocks.set(tasks, clock);
}
