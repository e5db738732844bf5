import { PAGE_SIZE } from '@tskern/abi';
import { FIRST_PFN, KPF, type PhysicalPageSource } from '@tskern/mm-api';
import { isFrame, PG, type FrameAllocator } from '@tskern/pagealloc';
import type { AddressSpace } from './address-space';
import { PTE_ANON } from './pte';
import { isZeroFillPage } from './zero-page';

/** Each PG flag with the KPF bit stable_page_flags copies it to (fs/proc/page.c). */
const PG_TO_KPF: readonly (readonly [number, number])[] = [
  [PG.DIRTY, KPF.DIRTY],
  [PG.UPTODATE, KPF.UPTODATE],
  [PG.WRITEBACK, KPF.WRITEBACK],
  [PG.REFERENCED, KPF.REFERENCED],
  [PG.LRU, KPF.LRU],
  [PG.SWAPBACKED, KPF.SWAPBACKED],
];

const bit = (kpf: number): bigint => 1n << BigInt(kpf);

/** What the page tables say of one frame. */
interface FrameUse {
  /** Page-table entries mapping it as a normal page (its mapcount). */
  maps: number;
  /** One of them maps it as an anonymous page (PTE_ANON). */
  anon: boolean;
  /** An entry maps it standing for the shared zero page (isZeroFillPage). */
  zero: boolean;
}

/**
 * How the address spaces map frames [first, first + count): tskern keeps no
 * reverse map from a frame to its page-table entries (Linux's _mapcount and
 * folio->mapping), so this walks every present entry of every address space,
 * once per call (procfs asks once per read(2)).
 */
function frameUses(spaces: Iterable<AddressSpace>, first: number, count: number): Map<number, FrameUse> {
  const out = new Map<number, FrameUse>();
  const end = first + count;
  for (const as of spaces) {
    if (as.released) continue;
    for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) {
      const vma = seg.value;
      as.pt.forEachPresent(seg.start / PAGE_SIZE, seg.end / PAGE_SIZE, (_page, frame, flags) => {
        if (frame < first || frame >= end) return;
        let use = out.get(frame);
        if (use === undefined) out.set(frame, (use = { maps: 0, anon: false, zero: false }));
        if (isZeroFillPage(vma, flags)) {
          use.zero = true;
          return;
        }
        use.maps++;
        if ((flags & PTE_ANON) !== 0) use.anon = true;
      });
    }
  }
  return out;
}

/**
 * stable_page_flags for one frame: a free frame is KPF_BUDDY (Linux reports
 * every page of a free buddy block so); an allocated one has the KPF bits of
 * its PG flags, KPF_MMAP while a page-table entry maps it and KPF_ANON when
 * one maps it as anonymous memory. A frame that only stands for the shared
 * zero page is KPF_ZERO_PAGE alone, as Linux's zero page (never counted as
 * mapped: vm_normal_page skips it).
 */
function kpageflags(frames: FrameAllocator, frame: number, use: FrameUse | undefined): bigint {
  if (!isFrame(frame)) return bit(KPF.NOPAGE); // below FIRST_PFN: a hole (pfn_to_online_page finds no page)
  if (!frames.isAllocated(frame)) return bit(KPF.BUDDY);
  if (use !== undefined && use.zero && use.maps === 0) return bit(KPF.ZERO_PAGE);
  const pg = frames.pageFlags(frame);
  let u = 0n;
  for (const [flag, kpf] of PG_TO_KPF) if ((pg & flag) !== 0) u |= bit(kpf);
  if (use !== undefined && use.maps > 0) u |= bit(KPF.MMAP);
  if (use?.anon === true) u |= bit(KPF.ANON);
  return u;
}

/**
 * The physical memory of `frames` as /proc/kpageflags and /proc/kpagecount
 * read it, over the address spaces `spaces()` lists (every live process's):
 * page frame number FIRST_PFN + F is frame F, as pagemapEntries shows it.
 * With `cgroupOf` (the inode number of the memory cgroup frame F is charged
 * to, 0 for none) the source has kpagecgroup's entries too.
 */
export function physicalPageSource(frames: FrameAllocator, spaces: () => Iterable<AddressSpace>, cgroupOf?: (frame: number) => number): PhysicalPageSource {
  const walk = (first: number, count: number, entry: (frame: number, use: FrameUse | undefined) => bigint): BigUint64Array => {
    const out = new BigUint64Array(count);
    const firstFrame = first - FIRST_PFN;
    const uses = frameUses(spaces(), firstFrame, count);
    for (let i = 0; i < count; i++) out[i] = entry(firstFrame + i, uses.get(firstFrame + i));
    return out;
  };
  const source: PhysicalPageSource = {
    get endPfn() {
      return FIRST_PFN + frames.stats().totalFrames;
    },
    flags: (first, count) => walk(first, count, (frame, use) => kpageflags(frames, frame, use)),
    // folio_precise_page_mapcount: the normal page-table entries mapping the frame.
    mapCounts: (first, count) => walk(first, count, (_frame, use) => BigInt(use?.maps ?? 0)),
  };
  if (cgroupOf === undefined) return source;
  return Object.assign(source, {
    // page_cgroup_ino: a frame number below FIRST_PFN is no page, so no group.
    cgroupInodes: (first: number, count: number) => BigUint64Array.from({ length: count }, (_, i) => BigInt(first + i < FIRST_PFN ? 0 : cgroupOf(first + i - FIRST_PFN))),
  });
}
