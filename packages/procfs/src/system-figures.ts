import type { SysvShmFigures } from './sysvipc';
/** Memory as /proc/meminfo shows it, in bytes (the kernel reports kB). */
export interface MemoryFigures {
  /** MemTotal: every frame the page allocator can hand out. */
  readonly totalBytes: number;
  /** MemFree: frames not allocated. */
  readonly freeBytes: number;
  /** MemAvailable: what could be had without swapping (the free frames when nothing is reclaimable); default MemFree. */
  readonly availableBytes?: number;
  /** Shmem: tmpfs and shared anonymous pages; 0 when unknown. */
  readonly shmemBytes?: number;
  /** Mlocked: pages in VM_LOCKED mappings. */
  readonly mlockedBytes?: number;
  /** AnonPages: private anonymous pages mapped; 0 when unknown. */
  readonly anonBytes?: number;
}

import type { StatFigures } from './stat';

/**
 * What /proc's system-wide files (meminfo, uptime, stat) need of the kernel; the
 * composition root implements it over its page allocator and clock.
 */
export interface SystemFigures {
  memory(): MemoryFigures;
  /** CLOCK_BOOTTIME in ns. */
  uptimeNs(): number;
  /** Idle time summed over the CPUs in ns; 0 when the kernel does not know it. */
  idleNs?(): number;
  /** The System V shared memory segments for /proc/sysvipc/shm; without it /proc/sysvipc does not exist. */
  sysvShm?(): readonly SysvShmFigures[];
  /** CPU count, boot time and task counts for /proc/stat; without it /proc/stat does not exist. */
  stat?(): StatFigures;
  /** The text of /proc/filesystems (the registered file system types); without it the file does not exist. */
  filesystems?(): string;
  /** The text of /proc/partitions (the block devices with a size); without it the file does not exist. */
  partitions?(): string;
  /** The text of /proc/devices (the registered majors); without it the file does not exist. */
  devices?(): string;
}
