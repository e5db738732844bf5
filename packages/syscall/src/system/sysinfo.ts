import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';

/** sizeof(struct sysinfo) on 64-bit: eight longs, a short and its padding, two longs, an int, and no _f. */
const SYSINFO_SIZE = 112;
const NS_PER_SEC = 1_000_000_000;

/** Seconds since boot rounded up, as do_sysinfo rounds the boottime clock (uptime 0 only at the very start). */
export function uptimeSeconds(task: Task): number {
  const ns = blockingServices(task).clock.monotonicNs();
  return Math.ceil(ns / NS_PER_SEC);
}

/** Live tasks of the kernel (nr_threads): zombies' dead leaders are not counted. */
export function liveTaskCount(task: Task): number {
  let n = 0;
  for (const t of task.kernel.tasks.tasks()) if (t.alive) n++;
  return n;
}

/**
 * sysinfo(2) (kernel/sys.c do_sysinfo): uptime from the kernel clock, no
 * load (0), total and free RAM from the page allocator, no swap, procs the
 * number of tasks; 64-bit counts fit, so mem_unit is 1 and the figures are
 * bytes. sharedram and bufferram are 0 (shmem frames are not told apart).
 */
export function sysSysinfo(task: Task, info: number): number {
  const stats = task.mm.frames.stats();
  const page = task.mm.frames.pageSize;
  const b = new Uint8Array(SYSINFO_SIZE);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(uptimeSeconds(task)), true);
  v.setBigUint64(32, BigInt(stats.totalFrames) * BigInt(page), true);
  v.setBigUint64(40, BigInt(stats.freeFrames) * BigInt(page), true);
  v.setUint16(80, Math.min(liveTaskCount(task), 0xffff), true);
  v.setUint32(104, 1, true);
  return task.mem.copyOut(info, b, 0, SYSINFO_SIZE) < 0 ? -Errno.EFAULT : 0;
}
