/** Page-fault costs per page: first touch over 64 MiB, and copy-on-write after fork over 32 MiB. */
import { PAGE_SIZE, SYS } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { since } from '../timing';
import { Proc } from '../tskern';
import { TARGETS } from '../types';

const MiB = 1024 * 1024;
/** Pages of the first-touch mapping (64 MiB) and of the COW mapping (32 MiB). */
export const TOUCH_PAGES = (64 * MiB) / PAGE_SIZE;
export const COW_PAGES = (32 * MiB) / PAGE_SIZE;
/** Mappings per batch, so that a batch is long enough (bench.c gets the same counts). */
const ROUNDS = 4;

/** Per round a fresh mapping of `pages` pages, one store per page (timed), then munmap. */
function firstTouch(pages: number) {
  return () => {
    const p = Proc.boot();
    return (iters: number) => {
      let t = 0;
      for (let round = 0; round < iters / pages; round++) {
        const a = p.mmapAnon(pages * PAGE_SIZE);
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
        t += since(t0);
        p.sys(SYS.munmap, a, pages * PAGE_SIZE);
      }
      return t;
    };
  };
}

/**
 * Per round `pages` resident pages, fork, then the parent stores into each
 * page (a COW copy each, timed); the child exits and is reaped.
 */
function cowAfterFork(pages: number) {
  return () => {
    const p = Proc.boot();
    return (iters: number) => {
      let t = 0;
      for (let round = 0; round < iters / pages; round++) {
        const bytes = pages * PAGE_SIZE;
        const a = p.mmapAnon(bytes);
        p.k.fill(p.pid, a, bytes, 1);
        const child = p.sys(SYS.fork);
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
        t += since(t0);
        p.k.syscall(child, SYS.exit_group, 0);
        p.sys(SYS.wait4, child, 0, 0, 0);
        p.sys(SYS.munmap, a, bytes);
      }
      return t;
    };
  };
}

export const faults: CaseGroup = {
  name: 'faults',
  run: (ctx) => [
    timedCase(ctx, {
      name: 'first touch, 64 MiB anonymous (per page)',
      native: { name: 'touch', param: TOUCH_PAGES },
      tskern: firstTouch(TOUCH_PAGES),
      timing: { iters: ROUNDS * TOUCH_PAGES, minBatches: 5, maxBatches: 15 },
      target: TARGETS.fast,
      scale: 1,
      unit: 'ns/page',
    }),
    timedCase(ctx, {
      name: 'COW fault after fork, 32 MiB (per page)',
      native: { name: 'cow', param: COW_PAGES },
      tskern: cowAfterFork(COW_PAGES),
      timing: { iters: ROUNDS * COW_PAGES, minBatches: 5, maxBatches: 15 },
      target: TARGETS.fast,
      scale: 1,
      unit: 'ns/page',
    }),
  ],
};
