/**
 * Memory: JavaScript heap per mapping (60,000 mappings) and per resident page
 * beyond the page itself (128 MiB touched, median of 5 runs), against what Linux spends (slab
 * objects per VMA; page table and struct page per page).
 */
import { PAGE_SIZE } from '@tskern/abi';
import { ChunkedFrameAllocator } from '@tskern/pagealloc';
import type { CaseGroup } from '../context';
import { gcFunction, settledMemory } from '../gc';
import { Proc } from '../tskern';
import { caseResult, TARGETS, type CaseResult } from '../types';

const MAPPINGS = 60_000;
const PAGES = (128 * 1024 * 1024) / PAGE_SIZE;

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

/** Runs of the per-page measurement (the median is reported, with the range). */
const PAGE_RUNS = 5;

/**
 * heapUsed + arrayBuffers growth per page over 128 MiB of touched pages,
 * minus the page data: one run. The kernel, its process and the mapping exist
 * before the first sample, so only what touching adds is counted (page table,
 * frame bookkeeping, page data). The frames come from a ChunkedFrameAllocator
 * (1 MiB chunks, 32,768 frames = exactly 128 chunks), so page data shows up
 * in arrayBuffers as it is used, as Linux allocates pages.
 */
function perPageOnce(gc: () => void, pages: number): number {
  const frames = new ChunkedFrameAllocator({ chunkFrames: 256, maxFrames: 2 * pages });
  const p = Proc.boot(frames);
  const a = p.mmapAnon(pages * PAGE_SIZE);
  const before = settledMemory(gc);
  for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
  const after = settledMemory(gc);
  if (p.k.tasks.get(p.pid)?.mm.pt.resident !== pages || frames.chunkCount * 256 !== pages) throw new Error('unexpected frame use');
  return (total(after) - total(before) - pages * PAGE_SIZE) / pages;
}

/**
 * Per resident page beyond the page: the median of PAGE_RUNS runs over
 * PAGES pages each, with the range of the runs. A large sample makes the
 * collector's noise (tens of KiB) a fraction of a byte per page.
 */
function perPage(gc: () => void): { median: number; min: number; max: number } {
  // A first full-size run, not counted: it compiles the paths, and the first
  // run after them came out several bytes per page low (down to -0.9: the
  // collector still giving back memory of earlier work).
  perPageOnce(gc, PAGES);
  const runs: number[] = [];
  for (let r = 0; r < PAGE_RUNS; r++) runs.push(perPageOnce(gc, PAGES));
  runs.sort((x, y) => x - y);
  return { median: runs[Math.floor(runs.length / 2)]!, min: runs[0]!, max: runs[runs.length - 1]! };
}

const b = (x: number) => x.toFixed(1);

/** Linux's bytes per mapping, or null when the slab counts were unreadable or noise made them negative. */
function mappingReference(out: Record<string, unknown> | null): number | null {
  const v = out === null ? NaN : Number(out['bytesPerUnit']);
  return Number.isFinite(v) && v >= 0 ? v : null;
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
        reference: mappingReference(ctx.native.memory('mem_per_mapping', MAPPINGS)),
        referenceName: 'Linux slab: vm_area_struct + maple_node',
        target: TARGETS.perMapping,
        note: 'heapUsed + arrayBuffers after gc',
      }),
    );
    ctx.log('  memory per resident page: tskern, Linux\n');
    const page = perPage(gc);
    const linux = ctx.native.memory('mem_per_page', PAGES);
    const linuxBytes = linux === null ? null : Number(linux['bytesPerUnit']);
    const linuxRange = linux === null ? '' : `; Linux runs ${b(Number(linux['min']))}..${b(Number(linux['max']))}`;
    rows.push(
      caseResult({
        name: 'memory per resident page beyond its 4 KiB (128 MiB)',
        unit: 'B/page',
        tskern: page.median,
        reference: linuxBytes !== null && Number.isFinite(linuxBytes) && linuxBytes >= 0 ? linuxBytes : null,
        referenceName: 'Linux: page table (VmPTE) + struct page (64)',
        target: TARGETS.perPage,
        note: `heapUsed + arrayBuffers after gc, minus the page data; median of ${PAGE_RUNS} runs ${b(page.min)}..${b(page.max)}${linuxRange}`,
      }),
    );
    return rows;
  },
};
