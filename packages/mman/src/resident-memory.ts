import { PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';

/** Bytes of pages present in the page table now (Linux's get_mm_rss, shown as VmRSS). */
export function residentBytes(as: AddressSpace): number {
  return as.pt.resident * PAGE_SIZE;
}

/**
 * The most bytes ever resident at once (mm->hiwater_rss as get_mm_hiwater_rss
 * reads it: never below the current figure), shown as VmHWM and reported by
 * getrusage as ru_maxrss.
 */
export function peakResidentBytes(as: AddressSpace): number {
  return Math.max(as.pt.peakResident, as.pt.resident) * PAGE_SIZE;
}
