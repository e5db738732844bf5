/**
 * Memory: JavaScript heap per mapping (60,000 mappings) and per resident page
 * beyond the page itself (64 MiB touched), against what Linux spends (slab
 * objects per VMA; page table and struct page per page).
 */
import { PAGE_SIZE } from '@tskern/abi';
import { ChunkedFrameAllocator } from '@tskern/pagealloc';
import type { CaseGroup } from '../context';
import { gcFunction, settledMemory } from '../gc';
import { Proc } from '../tskern';
import { caseResult, TARGETS, type CaseResult } from '../types';

const MAPPINGS = 60_000;
const PAGES = (64 * 1024 * 1024) / PAGE_SIZE;

const total = (m: { heapUsed: number; arrayBuffers: number }) => m.heapUsed + m.arrayBuffers;

/** heapUsed + arrayBuffers growth per mapping over 60,000 non-mergeable mappings (after a warm-up). */
function perMapping(gc: () => void): number {
  Proc.boot().makeMappings(1_000); // compile the paths first
  const p = Proc.boot();
  const before = settledMemory(gc);
  p.makeMappings(MAPPINGS);
  const after = settledMemory(gc);
  const bytes = (total(after) - total(before)) / MAPPINGS;
  if (p.k.tasks.get(p.pid)?.mm.mapCount !== MAPPINGS + 1) throw new Error('mappings merged');
  return bytes;
}

/** Touch `pages` pages of a fresh mapping; returns the process (the caller keeps it alive while measuring). */
function touched(pages: number, frames: ChunkedFrameAllocator): Proc {
  const p = Proc.boot(frames);
  const a = p.mmapAnon(pages * PAGE_SIZE);
  for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
  return p;
}

/**
 * heapUsed + arrayBuffers growth per page over 64 MiB of touched pages, minus
 * the 64 MiB of page data. The frames come from a ChunkedFrameAllocator (1 MiB
 * chunks, 16,384 frames = exactly 64 chunks), so page data shows up in
 * arrayBuffers as it is used, as Linux allocates pages.
 */
function perPage(gc: () => void): number {
  touched(512, new ChunkedFrameAllocator({ chunkFrames: 256, maxFrames: 1024 })); // compile the paths first
  const frames = new ChunkedFrameAllocator({ chunkFrames: 256, maxFrames: 2 * PAGES });
  const before = settledMemory(gc);
  const p = touched(PAGES, frames);
  const after = settledMemory(gc);
  if (p.k.tasks.get(p.pid)?.mm.pt.resident !== PAGES || frames.chunkCount * 256 !== PAGES) throw new Error('unexpected frame use');
  return (total(after) - total(before) - PAGES * PAGE_SIZE) / PAGES;
}

export const memory: CaseGroup = {
  name: 'memory',
  run: (ctx) => {
    const gc = gcFunction();
    const rows: CaseResult[] = [];
    ctx.log('  heap per mapping: tskern, Linux\n');
    rows.push(
      caseResult({
        name: 'JS heap per mapping (60,000 mappings)',
        unit: 'B/mapping',
        tskern: perMapping(gc),
        reference: ctx.native.bytes('mem_per_mapping', MAPPINGS),
        referenceName: 'Linux slab: vm_area_struct + maple_node',
        target: TARGETS.perMapping,
        note: 'heapUsed + arrayBuffers after gc',
      }),
    );
    ctx.log('  memory per resident page: tskern, Linux\n');
    rows.push(
      caseResult({
        name: 'memory per resident page beyond its 4 KiB (64 MiB)',
        unit: 'B/page',
        tskern: perPage(gc),
        reference: ctx.native.bytes('mem_per_page', PAGES),
        referenceName: 'Linux: page table (VmPTE) + struct page (64)',
        target: TARGETS.perPage,
        note: 'heapUsed + arrayBuffers after gc, minus the page data',
      }),
    );
    return rows;
  },
};
