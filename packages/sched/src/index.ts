/**
 * @tskern/sched — time and blocking without knowledge of tasks: clocks
 * (host and virtual), a timer queue, wait queues, a run queue and the
 * scheduler a runtime asks what runs next (or learns that every task is
 * blocked for ever). Browser-safe.
 */
export * from './clock';
export * from './timespec';
export * from './host-clock';
export * from './virtual-clock';
export * from './timer-queue';
export * from './wait-queue';
export * from './wait-source';
export * from './run-queue';
export * from './sched-decision';
export * from './scheduler';
