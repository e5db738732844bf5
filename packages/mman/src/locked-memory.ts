import { PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import type { MemoryLimits } from './memory-limits';
import { VM_LOCKED } from './vma';

/**
 * Bytes of VM_LOCKED memory (Linux's mm->locked_vm, shown as VmLck in
 * /proc/[pid]/status). Linux keeps a counter that mlock, mmap, munmap and
 * mremap adjust; this sums the locked VMAs, which is the same figure and
 * cannot drift.
 */
export function lockedBytes(as: AddressSpace): number {
  let total = 0;
  for (let seg = as.vmas.first(); seg !== undefined; seg = seg.next()) {
    if ((seg.value.flags & VM_LOCKED) !== 0) total += seg.end - seg.start;
  }
  return total;
}

/** Locked bytes inside [start, end) (mm/mlock.c count_mm_mlocked_page_nr). */
export function lockedBytesIn(as: AddressSpace, start: number, end: number): number {
  let total = 0;
  for (const seg of as.vmas.segmentsIn(start, end)) {
    if ((seg.value.flags & VM_LOCKED) !== 0) total += Math.min(seg.end, end) - Math.max(seg.start, start);
  }
  return total;
}

/** Bytes mapped in all (Linux's mm->total_vm). */
export function mappedBytes(as: AddressSpace): number {
  let total = 0;
  for (let seg = as.vmas.first(); seg !== undefined; seg = seg.next()) total += seg.end - seg.start;
  return total;
}

/** RLIMIT_MEMLOCK in whole pages, as Linux shifts it (`rlimit >> PAGE_SHIFT`). */
export function memlockPages(limits: MemoryLimits): number {
  return Math.floor(limits.memlock / PAGE_SIZE);
}

/**
 * As mm/mmap.c mlock_future_ok: may `len` more bytes be mapped with
 * `vmFlags` (VM_LOCKED from MAP_LOCKED or mlockall(MCL_FUTURE)) without
 * passing RLIMIT_MEMLOCK? mmap and brk answer EAGAIN when not.
 */
export function mlockFutureOk(as: AddressSpace, vmFlags: number, len: number, limits: MemoryLimits): boolean {
  if ((vmFlags & VM_LOCKED) === 0 || limits.ipcLock) return true;
  return (len + lockedBytes(as)) / PAGE_SIZE <= memlockPages(limits);
}
