/**
 * @tskern/kernel — the composition root: assembles a default kernel from the
 * subsystems and exposes it as a `KernelHost`.
 */
export { Kernel, createKernel, type KernelOptions, type KernelMount } from './kernel';
export { hostFolder, type HostFolderOptions } from './host-folder';
export { TaskRuntime, type RuntimeStep, type CallOutcome, type CallBlocked, type InterruptPolicy } from './runtime';
export { kernelClock, type KernelClockOption } from './blocking-setup';
export { KernelConfig, kernelConfigOf, type ConfigValue, type KernelFacts } from './kernel-config';
export { mountDiskImage, type DiskImageOptions } from './disk-image';
