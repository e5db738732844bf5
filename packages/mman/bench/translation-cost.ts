// The cost of the translation-observer hook on the hot mman paths: mmap +
// touch + munmap of a small anonymous mapping, and a read+write fault of a
// fresh page. Run (before and after a page-table change) with
// `npx tsx --conditions=@tskern/source bench/translation-cost.ts` in packages/mman;
// pass `observe` to register a no-op observer on the space.
import { PAGE_SIZE, PROT, MAP } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { AddressSpace, memoryOptions, mmap, munmap, handleFault, standaloneSharedAnonymous } from '../src/index';

const alloc = new ArenaFrameAllocator({ frames: 65536 });
const options = memoryOptions(alloc, standaloneSharedAnonymous(alloc));
const as = new AddressSpace(options);
const observe = process.argv.includes('observe');
if (observe) {
  const pt = as.pt as unknown as { observe?: (o: { invalidate(s: number, e: number): void }) => unknown };
  pt.observe?.({ invalidate() {} });
}

function mmapTouchMunmap(rounds: number): number {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    const addr = mmap(as, 0, 4 * PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const page = addr / PAGE_SIZE;
    for (let p = 0; p < 4; p++) handleFault(as, page + p, true);
    munmap(as, addr, 4 * PAGE_SIZE);
  }
  return ((performance.now() - start) * 1e6) / rounds;
}

function faults(pages: number): number {
  const addr = mmap(as, 0, pages * PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
  const first = addr / PAGE_SIZE;
  const start = performance.now();
  // A read fault (zero page, COW) then the write fault that takes it over.
  for (let p = 0; p < pages; p++) {
    handleFault(as, first + p, false);
    handleFault(as, first + p, true);
  }
  const ns = ((performance.now() - start) * 1e6) / pages;
  munmap(as, addr, pages * PAGE_SIZE);
  return ns;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
mmapTouchMunmap(20000);
faults(20000);
const m: number[] = [];
const f: number[] = [];
for (let i = 0; i < 7; i++) {
  m.push(mmapTouchMunmap(50000));
  f.push(faults(30000));
}
console.log(`${observe ? 'observed' : 'unobserved'}: mmap+4 write faults+munmap ${median(m).toFixed(0)} ns/round; read+write fault ${median(f).toFixed(0)} ns/page`);
