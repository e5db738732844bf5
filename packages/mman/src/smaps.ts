import { PAGE_SIZE, PROT } from '@tskern/abi';
import { PSS_SHIFT, type VmaMemoryReport } from '@tskern/mm-api';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { mapsLine } from './maps';
import { PTE_ANON, PTE_WRITE } from './pte';
import { isZeroFillPage } from './zero-page';
import {
  MAY_EXEC, MAY_READ, MAY_WRITE, VM_ACCOUNT, VM_DONTCOPY, VM_DONTDUMP, VM_GROWSDOWN, VM_HUGEPAGE, VM_LOCKED,
  VM_LOCKONFAULT, VM_NOHUGEPAGE, VM_NORESERVE, VM_RAND_READ, VM_SEQ_READ, VM_WIPEONFORK, type Vma,
} from './vma';

/** A whole page's proportional share, before dividing by its map count. */
const PAGE_PSS = PAGE_SIZE * 2 ** PSS_SHIFT;

/**
 * The VmFlags mnemonics of a VMA, in the order of Linux's vm_flags bits
 * (fs/proc/task_mmu.c:show_smap_vma_flags): rd wr ex sh mr mw me ms gd lo sr
 * rr dc lf ac nr wf dd hg nh. VM_SHARED (`sh`) is a shared mapping that may
 * be written: do_mmap clears it for a file opened read-only, leaving
 * VM_MAYSHARE (`ms`).
 */
function vmFlags(vma: Vma): string[] {
  const out: string[] = [];
  const add = (on: boolean, name: string): void => {
    if (on) out.push(name);
  };
  add((vma.prot & PROT.PROT_READ) !== 0, 'rd');
  add((vma.prot & PROT.PROT_WRITE) !== 0, 'wr');
  add((vma.prot & PROT.PROT_EXEC) !== 0, 'ex');
  add(vma.shared && (vma.maxProt & MAY_WRITE) !== 0, 'sh');
  add((vma.maxProt & MAY_READ) !== 0, 'mr');
  add((vma.maxProt & MAY_WRITE) !== 0, 'mw');
  add((vma.maxProt & MAY_EXEC) !== 0, 'me');
  add(vma.shared, 'ms');
  add((vma.flags & VM_GROWSDOWN) !== 0, 'gd');
  add((vma.flags & VM_LOCKED) !== 0, 'lo');
  add((vma.flags & VM_SEQ_READ) !== 0, 'sr');
  add((vma.flags & VM_RAND_READ) !== 0, 'rr');
  add((vma.flags & VM_DONTCOPY) !== 0, 'dc');
  add((vma.flags & VM_LOCKONFAULT) !== 0, 'lf');
  add((vma.flags & VM_ACCOUNT) !== 0, 'ac');
  add((vma.flags & VM_NORESERVE) !== 0, 'nr');
  add((vma.flags & VM_WIPEONFORK) !== 0, 'wf');
  add((vma.flags & VM_DONTDUMP) !== 0, 'dd');
  add((vma.flags & VM_HUGEPAGE) !== 0, 'hg');
  add((vma.flags & VM_NOHUGEPAGE) !== 0, 'nh');
  return out;
}

/**
 * One VMA's report: its present pages summed as smaps_account and
 * smaps_page_accumulate do. A page's map count is the number of page-table
 * entries holding its frame: the frame's reference count, less the page
 * cache's own reference for a page of a mapped object. A page mapped once is
 * private, more often shared, and it adds PAGE_SIZE / mapcount to Pss.
 *
 * tskern's page-table entries carry no dirty bit, so "dirty" is what Linux
 * finds dirty in the common cases: every anonymous page (a private page gets
 * its frame on a write fault or a copy-on-write, both of which dirty it) and
 * an object's page mapped writable through a shared mapping; an object's
 * page mapped read-only, or privately before any store, is clean. A page
 * standing for Linux's zero page is not counted (isZeroFillPage). Two
 * differences remain: a page only read through a writable shared mapping
 * counts as dirty here (clean on Linux), and a page only read from private
 * anonymous memory written elsewhere counts as anonymous (Linux's zero page).
 * Every present page counts as referenced (no accessed bit either).
 */
function reportVma(as: AddressSpace, seg: Segment<Vma>): VmaMemoryReport {
  const vma = seg.value;
  const frames = as.frames;
  // Shared anonymous memory is shmem (swap-backed) on Linux; file pages otherwise.
  const shmem = vma.backing !== null && vma.backing.anonymous;
  let resident = 0;
  let anonymous = 0;
  let pss = 0;
  let pssDirty = 0;
  let pssAnon = 0;
  let pssShmem = 0;
  let pssFile = 0;
  let sharedClean = 0;
  let sharedDirty = 0;
  let privateClean = 0;
  let privateDirty = 0;
  as.pt.forEachPresent(seg.start / PAGE_SIZE, seg.end / PAGE_SIZE, (_page, frame, flags) => {
    if (isZeroFillPage(vma, flags)) return; // Linux's zero page: not counted
    const anon = (flags & PTE_ANON) !== 0;
    const refs = frames.refCount(frame);
    const mapcount = anon ? refs : Math.max(1, refs - 1);
    const dirty = anon || (vma.shared && (flags & PTE_WRITE) !== 0);
    const share = mapcount >= 2 ? Math.floor(PAGE_PSS / mapcount) : PAGE_PSS;
    resident += PAGE_SIZE;
    pss += share;
    if (anon) {
      anonymous += PAGE_SIZE;
      pssAnon += share;
    } else if (shmem) pssShmem += share;
    else pssFile += share;
    if (dirty) {
      pssDirty += share;
      if (mapcount >= 2) sharedDirty += PAGE_SIZE;
      else privateDirty += PAGE_SIZE;
    } else if (mapcount >= 2) sharedClean += PAGE_SIZE;
    else privateClean += PAGE_SIZE;
  });
  return {
    start: seg.start,
    end: seg.end,
    mapsLine: mapsLine(as, seg),
    resident,
    pss,
    pssDirty,
    pssAnon,
    pssShmem,
    pssFile,
    sharedClean,
    sharedDirty,
    privateClean,
    privateDirty,
    referenced: resident,
    anonymous,
    locked: (vma.flags & VM_LOCKED) !== 0,
    vmFlags: vmFlags(vma),
  };
}

/**
 * What /proc/[pid]/smaps and smaps_rollup show of an address space: one
 * report per VMA in address order, from its VMAs and page table.
 */
export function memoryReport(as: AddressSpace): VmaMemoryReport[] {
  const out: VmaMemoryReport[] = [];
  for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) out.push(reportVma(as, seg));
  return out;
}
