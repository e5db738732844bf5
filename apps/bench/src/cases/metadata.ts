/** Metadata cases: mmap+munmap of one page, with a first touch, and an mprotect split and merge. */
import { PAGE_SIZE, PROT, SYS } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { since } from '../timing';
import { Proc, RW } from '../tskern';
import { TARGETS } from '../types';

function mmapMunmap(touch: boolean) {
  return () => {
    const p = Proc.boot();
    return (iters: number) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) {
        const a = p.mmapAnon(PAGE_SIZE);
        if (touch) p.touch(a);
        p.sys(SYS.munmap, a, PAGE_SIZE);
      }
      return since(t0);
    };
  };
}

function mprotectSplitMerge() {
  const p = Proc.boot();
  const mid = p.mmapAnon(3 * PAGE_SIZE) + PAGE_SIZE;
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) {
      p.sys(SYS.mprotect, mid, PAGE_SIZE, PROT.PROT_READ);
      p.sys(SYS.mprotect, mid, PAGE_SIZE, RW);
    }
    return since(t0);
  };
}

export const metadata: CaseGroup = {
  name: 'metadata',
  run: (ctx) => [
    timedCase(ctx, {
      name: 'mmap+munmap 4 KiB anonymous',
      native: { name: 'mmap_munmap' },
      tskern: mmapMunmap(false),
      target: TARGETS.fast,
      scale: 1e3,
      unit: 'µs/op',
    }),
    timedCase(ctx, {
      name: 'mmap+touch+munmap 4 KiB anonymous',
      native: { name: 'mmap_touch_munmap' },
      tskern: mmapMunmap(true),
      target: TARGETS.fast,
      scale: 1e3,
      unit: 'µs/op',
    }),
    timedCase(ctx, {
      name: 'mprotect split+merge (2 calls, 3-page mapping)',
      native: { name: 'mprotect_split_merge' },
      tskern: mprotectSplitMerge,
      target: TARGETS.fast,
      scale: 1e3,
      unit: 'µs/op',
    }),
  ],
};
