/** Page-fault costs per page: first touch over 64 MiB, and copy-on-write after fork over 32 MiB. */
import { PAGE_SIZE, SYS } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { since } from '../timing';
import { Proc } from '../tskern';
import { TARGETS } from '../types';

const MiB = 1024 * 1024;
/** Pages of the first-touch mapping (64 MiB) and of the COW mapping (32 MiB): one batch each. */
export const TOUCH_PAGES = (64 * MiB) / PAGE_SIZE;
export const COW_PAGES = (32 * MiB) / PAGE_SIZE;

/** A fresh mapping of `pages` pages per batch; one store per page, timed; then munmap. */
function firstTouch() {
  const p = Proc.boot();
  return (pages: number) => {
    const a = p.mmapAnon(pages * PAGE_SIZE);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
    const t = since(t0);
    p.sys(SYS.munmap, a, pages * PAGE_SIZE);
    return t;
  };
}

/** Resident pages, fork, then the parent stores into each page (a COW copy each, timed); the child exits and is reaped. */
function cowAfterFork() {
  const p = Proc.boot();
  return (pages: number) => {
    const bytes = pages * PAGE_SIZE;
    const a = p.mmapAnon(bytes);
    p.k.fill(p.pid, a, bytes, 1);
    const child = p.sys(SYS.fork);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < pages; i++) p.touch(a + i * PAGE_SIZE);
    const t = since(t0);
    p.k.syscall(child, SYS.exit_group, 0);
    p.sys(SYS.wait4, child, 0, 0, 0);
    p.sys(SYS.munmap, a, bytes);
    return t;
  };
}

export const faults: CaseGroup = {
  name: 'faults',
  run: (ctx) => [
    timedCase(ctx, {
      name: 'first touch, 64 MiB anonymous (per page)',
      native: { name: 'touch' },
      tskern: firstTouch,
      timing: { iters: TOUCH_PAGES, minBatches: 5, maxBatches: 11 },
      target: TARGETS.fast,
      scale: 1,
      unit: 'ns/page',
    }),
    timedCase(ctx, {
      name: 'COW fault after fork, 32 MiB (per page)',
      native: { name: 'cow' },
      tskern: cowAfterFork,
      timing: { iters: COW_PAGES, minBatches: 5, maxBatches: 11 },
      target: TARGETS.fast,
      scale: 1,
      unit: 'ns/page',
    }),
  ],
};
