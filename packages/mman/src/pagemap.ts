import { PAGE_SIZE } from '@tskern/abi';
import { FIRST_PFN, PM_FILE, PM_GUARD_REGION, PM_MMAP_EXCLUSIVE, PM_PRESENT, PM_SWAP, type PagemapSource } from '@tskern/mm-api';
import type { AddressSpace } from './address-space';
import { PTE_ANON } from './pte';
import { isZeroFillPage } from './zero-page';

/**
 * The swap-type entry Linux stores for a guard marker, as pagemap prints
 * its type and offset to CAP_SYS_ADMIN: type 31 (SWP_PTE_MARKER) with
 * offset PTE_MARKER_GUARD (4) shifted past the 5 type bits, 0x9f, as read
 * from /proc/self/pagemap on an x86-64 Linux 6.18 host.
 */
const GUARD_MARKER_FRAME = 0x9fn;

/**
 * The pagemap entries of pages [firstPage, firstPage + count)
 * (fs/proc/task_mmu.c:pagemap_pmd_range and pte_to_pagemap_entry): 0 for a
 * page with no entry, in a VMA or not (tskern has no soft-dirty tracking, as
 * a kernel built without CONFIG_MEM_SOFT_DIRTY); a present page is
 * PM_PRESENT with its frame number, PM_FILE unless it is a private anonymous
 * page (or stands for the zero page, isZeroFillPage), and PM_MMAP_EXCLUSIVE when no other entry maps its frame (the
 * frame's references less the page cache's own, for an object's page); a
 * guard marker is PM_SWAP | PM_GUARD_REGION. Frame numbers (FIRST_PFN + frame) and the marker's
 * swap bits only with `showPfn`.
 */
export function pagemapEntries(as: AddressSpace, firstPage: number, count: number, showPfn: boolean): BigUint64Array {
  const out = new BigUint64Array(count);
  if (count === 0) return out;
  const end = firstPage + count;
  const frames = as.frames;
  const endAddr = Math.min(end * PAGE_SIZE, as.options.taskSize);
  for (const seg of as.vmas.segmentsIn(firstPage * PAGE_SIZE, endAddr)) {
    const vma = seg.value;
    const from = Math.max(firstPage, seg.start / PAGE_SIZE);
    const to = Math.min(end, seg.end / PAGE_SIZE);
    as.pt.forEachPresent(from, to, (page, frame, flags) => {
      let e = PM_PRESENT;
      if (showPfn) e |= BigInt(FIRST_PFN + frame);
      // The zero page is no "normal page": present, neither file nor exclusive.
      if (!isZeroFillPage(vma, flags)) {
        const anon = (flags & PTE_ANON) !== 0;
        const refs = frames.refCount(frame);
        if (!anon) e |= PM_FILE;
        if ((anon ? refs : refs - 1) === 1) e |= PM_MMAP_EXCLUSIVE;
      }
      out[page - firstPage] = e;
    });
  }
  if (as.guards.size !== 0) {
    const marker = PM_SWAP | PM_GUARD_REGION | (showPfn ? GUARD_MARKER_FRAME : 0n);
    for (const run of as.guards.rangesIn(firstPage, end)) out.fill(marker, run.first - firstPage, run.last - firstPage);
  }
  return out;
}

/** An address space as a PagemapSource (what procfs reads /proc/[pid]/pagemap from). */
export function pagemapSource(as: AddressSpace): PagemapSource {
  return {
    taskSize: as.options.taskSize,
    entries: (firstPage, count, showPfn) => (as.released ? new BigUint64Array(count) : pagemapEntries(as, firstPage, count, showPfn)),
  };
}
