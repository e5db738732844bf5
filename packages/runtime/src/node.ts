/**
 * @tskern/runtime/node — what only a Node host can use: a timer thread's
 * ticks for the driver's CPU accounting. The main entry stays free of Node
 * modules.
 */
export { hostCpuTicks } from './node-cpu-ticks';
