import type { SysAttribute } from './attribute';

/**
 * A CPU mask as cpumap_print_to_pagebuf's list form ("%*pbl"): ranges
 * "0-3", single CPUs "5", joined by commas; an empty mask is an empty line.
 */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return `${parts.join(',')}\n`;
}

/**
 * /sys/devices/system/cpu's masks (drivers/base/cpu.c): every one of the
 * kernel's `cpus` CPUs is possible, present and online (tskern has no CPU
 * hotplug), none offline; kernel_max is NR_CPUS - 1. They agree with
 * sched_getaffinity's mask and sysinfo, which count the same `cpus`.
 */
export function cpuAttributes(cpus: number, nrCpus: number): SysAttribute[] {
  const all = formatCpuList(Array.from({ length: cpus }, (_, i) => i));
  return [
    { name: 'kernel_max', show: () => `${nrCpus - 1}\n` },
    { name: 'offline', show: () => '\n' },
    { name: 'online', show: () => all },
    { name: 'possible', show: () => all },
    { name: 'present', show: () => all },
  ];
}
