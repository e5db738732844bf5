/**
 * Cost against the number of mappings (10 to 60,000, kept apart by
 * alternating protections): fork+exit+wait, and mmap+munmap of one page.
 */
import { PAGE_SIZE, SYS } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { since } from '../timing';
import { Proc } from '../tskern';
import { caseResult, TARGETS, type CaseResult } from '../types';

export const MAPPING_COUNTS = [10, 1_000, 10_000, 60_000] as const;

const fmt = (n: number) => n.toLocaleString('en-US');

function forkExitWait(n: number) {
  return () => {
    const p = Proc.boot();
    p.makeMappings(n);
    return (iters: number) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) {
        const child = p.sys(SYS.fork);
        p.k.syscall(child, SYS.exit_group, 0);
        p.sys(SYS.wait4, child, 0, 0, 0);
      }
      return since(t0);
    };
  };
}

function mmapWith(n: number) {
  return () => {
    const p = Proc.boot();
    p.makeMappings(n);
    return (iters: number) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) p.sys(SYS.munmap, p.mmapAnon(PAGE_SIZE), PAGE_SIZE);
      return since(t0);
    };
  };
}

export const fork: CaseGroup = {
  name: 'fork',
  run: (ctx) =>
    MAPPING_COUNTS.map((n) =>
      timedCase(ctx, {
        name: `fork+exit+wait, ${fmt(n)} mappings`,
        native: { name: 'fork', param: n },
        tskern: forkExitWait(n),
        target: TARGETS.fork,
        scale: 1e3,
        unit: 'µs/op',
        series: { family: 'fork', n },
      }),
    ),
};

export const scaling: CaseGroup = {
  name: 'scaling',
  run: (ctx) => {
    const rows: CaseResult[] = MAPPING_COUNTS.map((n) =>
      timedCase(ctx, {
        name: `mmap+munmap 4 KiB, ${fmt(n)} mappings`,
        native: { name: 'mmap_scale', param: n },
        tskern: mmapWith(n),
        target: TARGETS.fast,
        scale: 1e3,
        unit: 'µs/op',
        series: { family: 'mmap', n },
      }),
    );
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const lo = MAPPING_COUNTS[0];
    const hi = MAPPING_COUNTS[MAPPING_COUNTS.length - 1]!;
    rows.push(
      caseResult({
        name: `mmap+munmap at ${fmt(hi)} vs ${fmt(lo)} mappings (self)`,
        unit: 'µs/op',
        tskern: last.tskern,
        reference: first.tskern,
        referenceName: `tskern at ${fmt(lo)} mappings`,
        target: TARGETS.flat,
        note:
          last.reference !== null && first.reference !== null
            ? `Linux: ${(last.reference / first.reference).toFixed(2)}x from ${fmt(lo)} to ${fmt(hi)}`
            : 'tskern against itself',
      }),
    );
    return rows;
  },
};
