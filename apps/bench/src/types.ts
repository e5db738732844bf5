/** What `pnpm bench` reports per case (one table row, one JSON entry). */

import type { Timing } from './timing';

/** A goal for a case: a bound on the ratio (tskern / reference) or on tskern's own value. */
export interface Target {
  readonly on: 'ratio' | 'tskern';
  readonly op: '<=' | '>=';
  readonly value: number;
}

export interface CaseResult {
  readonly name: string;
  /** Unit of `tskern` and `reference` (and what the ratio compares). */
  readonly unit: string;
  /** tskern's value, or null when the case could not run on tskern. */
  readonly tskern: number | null;
  /** The reference's value (Linux, memfs, the JS copy limit...), or null. */
  readonly reference: number | null;
  readonly referenceName: string;
  /** tskern / reference. */
  readonly ratio: number | null;
  readonly target: Target | null;
  /** Whether the target is met; null without a target or a value. */
  readonly met: boolean | null;
  /** Why a value is missing ("unavailable (ENOSYS)"), or how to read the row. */
  readonly note?: string;
  /** Scaling cases: the chart family ("fork", "mmap") and the number of mappings. */
  readonly series?: { readonly family: string; readonly n: number };
  /** How the timed values were taken (iterations per batch, batches, spread). */
  readonly timing?: { readonly tskern?: Timing; readonly reference?: Timing };
}

/** A case's values before the ratio and the verdict are derived. */
export interface CaseInput {
  name: string;
  unit: string;
  tskern: number | null;
  reference: number | null;
  referenceName: string;
  target?: Target | null;
  note?: string;
  series?: { family: string; n: number };
  timing?: { tskern?: Timing; reference?: Timing };
}

/** Derive the ratio and the verdict. */
export function caseResult(input: CaseInput): CaseResult {
  const { tskern, reference } = input;
  const ratio = tskern !== null && reference !== null && reference > 0 ? tskern / reference : null;
  const target = input.target ?? null;
  let met: boolean | null = null;
  if (target !== null) {
    const v = target.on === 'ratio' ? ratio : tskern;
    if (v !== null) met = target.op === '<=' ? v <= target.value : v >= target.value;
  }
  return {
    name: input.name,
    unit: input.unit,
    tskern,
    reference,
    referenceName: input.referenceName,
    ratio,
    target,
    met,
    ...(input.note !== undefined ? { note: input.note } : {}),
    ...(input.series !== undefined ? { series: input.series } : {}),
    ...(input.timing !== undefined ? { timing: input.timing } : {}),
  };
}

/** `ratio <= 0.25`, `tskern <= 200`. */
export function formatTarget(t: Target | null): string {
  return t === null ? '' : `${t.on} ${t.op === '<=' ? '<=' : '>='} ${t.value}`;
}

/** Targets of the issue, by kind of case. */
export const TARGETS = {
  /** Metadata, touch and COW cases: at most a quarter of Linux's time. */
  fast: { on: 'ratio', op: '<=', value: 0.25 },
  /** fork+exit+wait: at most half of Linux's time. */
  fork: { on: 'ratio', op: '<=', value: 0.5 },
  /** 1 MiB reads and writes: at least 0.8 of the JS copy throughput. */
  copy: { on: 'ratio', op: '>=', value: 0.8 },
  /** mmap+munmap at 60,000 mappings: at most 1.5 times the cost at 10. */
  flat: { on: 'ratio', op: '<=', value: 1.5 },
  /** ramfs against memfs: at least twice as fast. */
  files: { on: 'ratio', op: '<=', value: 0.5 },
  perMapping: { on: 'tskern', op: '<=', value: 200 },
  perPage: { on: 'tskern', op: '<=', value: 16 },
  /** A compute-bound riscv64 program: at least a quarter of qemu-user's MIPS. */
  compute: { on: 'ratio', op: '>=', value: 0.25 },
  /** A memory-syscall-bound program: faster than qemu-user, no slower than native x86-64 Linux. */
  program: { on: 'ratio', op: '<=', value: 1 },
} as const satisfies Record<string, Target>;
