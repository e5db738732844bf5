/**
 * Programs: riscv64 Linux binaries (tooling/programs/bench) run on tskern
 * (in process, through @tskern/runtime), under qemu-riscv64 (the same
 * binary) and natively (the same C source for x86-64), in the same run.
 * Each case makes two rows: against qemu-user and against native x86-64.
 */
import type { BenchContext, CaseGroup } from '../context';
import { gcFunction } from '../gc';
import { timeProgram, type ProgramTiming, type ProgramTimingOptions } from '../program-timing';
import { checksumOf, instretOf, programSides, type ProgramClock, type ProgramRunner } from '../programs';
import { caseResult, TARGETS, type CaseResult } from '../types';

export interface ProgramCase {
  /** The binary's name under tooling/programs/bench/bin/riscv64. */
  readonly program: string;
  readonly name: string;
  /** What one iteration is, for the unit (`µs/round`). */
  readonly op: string;
  /** Compute-bound: rated in MIPS against qemu (tskern's instruction count), no target against native. */
  readonly compute?: boolean;
  /** The clock every side of the case is timed on (programs.ts; wall by default). */
  readonly clock?: ProgramClock;
  readonly timing: ProgramTimingOptions;
}

export const PROGRAM_CASES: readonly ProgramCase[] = [
  { program: 'bench_compute', name: 'compute: xorshift rounds over a 4 KiB table', op: 'round', compute: true, clock: 'cpu', timing: { firstIters: 1, maxIters: 1_000_000 } },
  { program: 'bench_mmap', name: 'mmap+touch+munmap 4 KiB', op: 'op', timing: { firstIters: 64, maxIters: 10_000_000 } },
  { program: 'bench_fork_shared', name: 'fork, child writes 4,096 shared pages, parent reads them', op: 'fork', timing: { firstIters: 1, maxIters: 100_000 } },
  { program: 'bench_shm_pingpong', name: 'shm ping-pong over a futex, two processes', op: 'round trip', timing: { firstIters: 16, maxIters: 10_000_000 } },
];

const collect = gcFunction();

export type Side = { ok: ProgramTiming } | { problem: string };

/** tskern's code needs warming up (see timeProgram); a child process starts cold every time anyway. */
const TSKERN_WARMUP_MS = 1000;

function timeSide(ctx: BenchContext, label: string, runner: ProgramRunner | string, c: ProgramCase, warmupMs = 0): Side {
  if (typeof runner === 'string') return { problem: runner };
  ctx.log(` ${label}`);
  try {
    const t = timeProgram(runner, { ...c.timing, warmupMs });
    // A loaded machine can make the 0-iteration runs slower than the timed ones: no value, rather than nonsense.
    if (!(t.timing.nsPerOp > 0)) return { problem: `${label}: the iterations were lost in the noise of a run's fixed cost (${t.timing.iters} per run)` };
    return { ok: t };
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!;
    ctx.log(` (failed: ${why})`);
    return { problem: why };
  }
}

/** The reference side's timing, or why it is missing (failed, or a different checksum from tskern's). */
function checked(ref: Side, tskern: Side): ProgramTiming | string {
  if ('problem' in ref) return ref.problem;
  if ('problem' in tskern) return ref.ok;
  const a = checksumOf(tskern.ok.first.out);
  const b = checksumOf(ref.ok.first.out);
  return a !== null && a === b ? ref.ok : `checksum differs: tskern ${a ?? 'none'}, reference ${b ?? 'none'}`;
}

/** The rows of one case: against qemu-user, against native x86-64 (each reference missing, with why, when it failed or disagreed). */
export function programRows(c: ProgramCase, tskern: Side, qemu: Side, native: Side): CaseResult[] {
  const t = 'ok' in tskern ? tskern.ok : null;
  const tNote = 'problem' in tskern ? tskern.problem : undefined;
  const q = checked(qemu, tskern);
  const x = checked(native, tskern);
  const us = (p: ProgramTiming | string | null) => (p === null || typeof p === 'string' ? null : p.timing.nsPerOp / 1e3);
  const timing = (p: ProgramTiming | string) => ({
    ...(t !== null ? { tskern: t.timing } : {}),
    ...(typeof p !== 'string' ? { reference: p.timing } : {}),
  });
  const note = (p: ProgramTiming | string) => tNote ?? (typeof p === 'string' ? p : undefined);
  const out: CaseResult[] = [];
  if (c.compute === true) {
    // Instructions per round from tskern's rdinstret count; qemu runs the same binary, so the same count.
    const perRound = t === null ? null : (instretOf(t.last.out) ?? NaN) / t.timing.iters;
    const mips = (p: ProgramTiming | string | null) =>
      perRound === null || !Number.isFinite(perRound) || p === null || typeof p === 'string' || p.timing.nsPerOp <= 0 ? null : (perRound / p.timing.nsPerOp) * 1e3;
    const n = note(q);
    out.push(caseResult({ name: `${c.name} (riscv64 MIPS)`, unit: 'MIPS', tskern: mips(t), reference: mips(q), referenceName: 'qemu-riscv64', target: TARGETS.compute, timing: timing(q), ...(n !== undefined ? { note: n } : {}) }));
  } else {
    const n = note(q);
    out.push(caseResult({ name: c.name, unit: `µs/${c.op}`, tskern: us(t), reference: us(q), referenceName: 'qemu-riscv64', target: TARGETS.program, timing: timing(q), ...(n !== undefined ? { note: n } : {}) }));
  }
  const n = note(x);
  out.push(
    caseResult({
      name: c.name, unit: `µs/${c.op}`, tskern: us(t), reference: us(x), referenceName: 'Linux x86-64 native',
      target: c.compute === true ? null : TARGETS.program, timing: timing(x), ...(n !== undefined ? { note: n } : {}),
    }),
  );
  return out;
}

export const programs: CaseGroup = {
  name: 'programs',
  run: (ctx) => {
    const sides = programSides(ctx.log);
    const results: CaseResult[] = [];
    for (const c of PROGRAM_CASES) {
      ctx.log(`  ${c.program}:`);
      collect();
      const tskern = ctx.profile(c.program, () => timeSide(ctx, 'tskern', sides.tskern(c.program, c.clock), c, TSKERN_WARMUP_MS));
      const qemu = timeSide(ctx, 'qemu', typeof sides.qemu === 'string' ? sides.qemu : sides.qemu(c.program, c.clock), c);
      const native = timeSide(ctx, 'native', typeof sides.native === 'string' ? sides.native : sides.native(c.program, c.clock), c);
      ctx.log('\n');
      results.push(...programRows(c, tskern, qemu, native));
    }
    return results;
  },
};
