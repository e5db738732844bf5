import { PAGE_SIZE, PROT } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { mappedBytes } from './locked-memory';
import type { MemoryLimits } from './memory-limits';
import { VM_GROWSDOWN, type Vma } from './vma';

/** is_data_mapping: private, writable and not a stack (what RLIMIT_DATA counts in data_vm). */
export function isDataMapping(prot: number, shared: boolean, vmFlags: number): boolean {
  return (prot & PROT.PROT_WRITE) !== 0 && !shared && (vmFlags & VM_GROWSDOWN) === 0;
}

function dataBytes(as: AddressSpace): number {
  let total = 0;
  for (let seg = as.vmas.first(); seg !== undefined; seg = seg.next()) {
    const v: Vma = seg.value;
    if (isDataMapping(v.prot, v.shared, v.flags)) total += seg.end - seg.start;
  }
  return total;
}

const pages = (bytes: number): number => Math.floor(bytes / PAGE_SIZE) * PAGE_SIZE;

/**
 * As mm/mmap.c may_expand_vm: may `bytes` more be mapped without total_vm
 * passing RLIMIT_AS, and, for a data mapping, data_vm passing RLIMIT_DATA
 * (limits in whole pages, as Linux shifts them; ignore_rlimit_data is off,
 * and a soft RLIMIT_DATA of 0 is not excused by the hard one here)? mmap,
 * mremap and brk answer ENOMEM when not.
 */
export function mayExpandVm(as: AddressSpace, bytes: number, limits: MemoryLimits, data: boolean): boolean {
  if (limits.addressSpace !== Infinity && mappedBytes(as) + bytes > pages(limits.addressSpace)) return false;
  if (data && limits.data !== Infinity && dataBytes(as) + bytes > pages(limits.data)) return false;
  return true;
}

/** Bytes mapped inside [start, end) (count_vma_pages_range): what a MAP_FIXED mapping there replaces. */
export function mappedBytesIn(as: AddressSpace, start: number, end: number): number {
  let total = 0;
  for (const seg of as.vmas.segmentsIn(start, end)) total += Math.min(seg.end, end) - Math.max(seg.start, start);
  return total;
}
