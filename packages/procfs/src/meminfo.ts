import type { MemoryFigures } from './system-figures';

/**
 * One line as fs/proc/meminfo.c:show_val_kb writes it: the label padded to
 * 16 columns (the labels carry their own spaces there), the kB figure
 * right-aligned in 8 (seq_put_decimal_ull_width), then " kB".
 */
function line(label: string, bytes: number): string {
  return `${`${label}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/**
 * The text of /proc/meminfo (meminfo_proc_show), its first lines in
 * Linux's order through Shmem; figures tskern has no counterpart for
 * (buffers, page-cache LRU lists, swap, dirty and writeback pages) are 0.
 * The lines after Shmem (slab, page tables, commit, vmalloc, huge pages,
 * direct map) are left out: readers look lines up by key.
 */
export function formatMeminfo(m: MemoryFigures): string {
  const rows: [string, number][] = [
    ['MemTotal', m.totalBytes],
    ['MemFree', m.freeBytes],
    ['MemAvailable', m.availableBytes ?? m.freeBytes],
    ['Buffers', 0],
    ['Cached', 0],
    ['SwapCached', 0],
    ['Active', 0],
    ['Inactive', 0],
    ['Active(anon)', 0],
    ['Inactive(anon)', 0],
    ['Active(file)', 0],
    ['Inactive(file)', 0],
    ['Unevictable', m.mlockedBytes ?? 0],
    ['Mlocked', m.mlockedBytes ?? 0],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['AnonPages', m.anonBytes ?? 0],
    ['Mapped', 0],
    ['Shmem', m.shmemBytes ?? 0],
  ];
  return rows.map(([label, bytes]) => line(label, bytes)).join('');
}

/** /proc/uptime (fs/proc/uptime.c): seconds since boot and idle seconds, each with two decimals (hundredths cut, not rounded). */
export function formatUptime(uptimeNs: number, idleNs: number): string {
  const two = (ns: number) => `${Math.floor(ns / 1e9)}.${String(Math.floor((ns % 1e9) / 1e7)).padStart(2, '0')}`;
  return `${two(uptimeNs)} ${two(idleNs)}\n`;
}
