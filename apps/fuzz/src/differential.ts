/**
 * The differential fuzzer: generate scenarios, run them on Linux (the Linux
 * runner, once per batch of files) and on tskern (worker threads, a fresh
 * kernel each), compare the transcripts, minimise the differences and write
 * them out as `.scn` files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTranscripts, type Difference } from './compare';
import { generateScenario, type Area } from './generator';
import { runLinux } from './linux';
import { minimize, opLines } from './minimize';
import { TskernPool } from './pool';
import { hostDependence } from './validate';
import type { TskernOutcome, TskernRunOptions } from './tskern-side';

export interface DifferentialOptions {
  readonly seed: number;
  /** The first scenario index (scenario i of seed S is the same text on every run). */
  readonly start: number;
  readonly count: number;
  readonly areas: ReadonlySet<Area>;
  /** Operations the generator leaves out. */
  readonly without: ReadonlySet<string>;
  /** Lines per scenario, and behaviour beyond the spec (see GenOptions). */
  readonly minLines: number;
  readonly maxLines: number;
  readonly beyondSpec: boolean;
  /** Where minimised mismatches (and `summary.txt`) go. */
  readonly outDir: string;
  readonly linuxRunner: string;
  /** Files per Linux runner invocation. */
  readonly batch: number;
  /** tskern worker threads. */
  readonly jobs: number;
  readonly minimize: boolean;
  /** Minimise at most this many mismatches per signature (the others are only counted). */
  readonly maxPerSignature: number;
  /** Also write every generated scenario to OUT/all/. */
  readonly keepAll: boolean;
  readonly tskern: TskernRunOptions;
  readonly log: (line: string) => void;
}

export interface Mismatch {
  readonly name: string;
  readonly index: number;
  readonly text: string;
  readonly diff: Difference;
  readonly detail?: string;
  /** The minimised file, when minimised. */
  minimized?: string;
  minimizedLines?: number;
}

export interface DifferentialSummary {
  readonly scenarios: number;
  readonly mismatches: Mismatch[];
  readonly bySignature: Map<string, Mismatch[]>;
  readonly runSeconds: number;
  readonly minimizeSeconds: number;
}

function scenarioName(seed: number, index: number): string {
  return `s${seed}-${index}.scn`;
}

const SCENARIO_ERROR = /^\d+: scenario error/m;

/** Run the Linux side and the tskern side on the same texts, and compare. */
export class DifferentialRunner {
  readonly pool: TskernPool;
  private readonly work: string;
  private serial = 0;

  constructor(private readonly options: Pick<DifferentialOptions, 'jobs' | 'tskern' | 'linuxRunner'>) {
    this.pool = new TskernPool(options.jobs, options.tskern);
    this.work = mkdtempSync(join(tmpdir(), 'tskern-fuzz-'));
  }

  /** Both sides of each (name, text); each answer is undefined when the transcripts agree. */
  async compare(items: readonly { name: string; text: string }[]): Promise<{ diff: Difference | undefined; tsk: TskernOutcome; linux: string }[]> {
    const dir = join(this.work, `b${this.serial++}`);
    mkdirSync(dir);
    const files = items.map((it) => {
      const f = join(dir, it.name);
      writeFileSync(f, it.text);
      return f;
    });
    const [linux, tsk] = await Promise.all([runLinux(this.options.linuxRunner, files), this.pool.runAll(items.map((it) => it.text))]);
    rmSync(dir, { recursive: true, force: true });
    return items.map((it, i) => {
      const l = linux.get(it.name) ?? '';
      return { diff: compareTranscripts(it.text, l, tsk[i]!), tsk: tsk[i]!, linux: l };
    });
  }

  /** The minimiser's evaluator: signatures of candidate texts (tskern first, Linux only for the valid ones). */
  async evaluate(texts: readonly string[]): Promise<(string | undefined | 'invalid')[]> {
    const tsk = await this.pool.runAll(texts);
    const out: (string | undefined | 'invalid')[] = texts.map(() => 'invalid');
    const valid: { name: string; text: string; i: number }[] = [];
    texts.forEach((text, i) => {
      // Not valid: a scenario error, or a scenario that now depends on the host.
      if (!SCENARIO_ERROR.test(tsk[i]!.transcript) && hostDependence(text) === undefined) valid.push({ name: `m${i}.scn`, text, i });
    });
    if (valid.length === 0) return out;
    const dir = join(this.work, `b${this.serial++}`);
    mkdirSync(dir);
    const files = valid.map((v) => {
      const f = join(dir, v.name);
      writeFileSync(f, v.text);
      return f;
    });
    const linux = await runLinux(this.options.linuxRunner, files);
    rmSync(dir, { recursive: true, force: true });
    for (const v of valid) {
      const l = linux.get(v.name) ?? '';
      if (SCENARIO_ERROR.test(l) || /^\d+: runner:/m.test(l)) continue;
      out[v.i] = compareTranscripts(v.text, l, tsk[v.i]!)?.signature;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.pool.close();
    rmSync(this.work, { recursive: true, force: true });
  }
}

function header(m: Mismatch, diff: Difference | undefined, from: number, to: number): string {
  const d = diff ?? m.diff;
  // The generator's first line: "# fuzz seed S index I areas A[ without W][ beyond-spec]".
  const origin = /^# fuzz (.*)$/m.exec(m.text)?.[1] ?? `seed ${m.name.replace(/^s(\d+)-.*/, '$1')} index ${m.index}`;
  return [
    `# fuzz: ${origin}; minimised from ${from} to ${to} lines`,
    `# signature: ${d.signature}`,
    `# first difference: Linux «${d.linux ?? '(nothing)'}» / tskern «${d.tskern ?? '(nothing)'}»`,
  ].join('\n');
}

export async function runDifferential(o: DifferentialOptions): Promise<DifferentialSummary> {
  mkdirSync(o.outDir, { recursive: true });
  if (o.keepAll) mkdirSync(join(o.outDir, 'all'), { recursive: true });
  const runner = new DifferentialRunner(o);
  const mismatches: Mismatch[] = [];
  const bySignature = new Map<string, Mismatch[]>();
  const t0 = performance.now();
  try {
    for (let b = 0; b < o.count; b += o.batch) {
      const items: { name: string; text: string; index: number }[] = [];
      for (let i = b; i < Math.min(o.count, b + o.batch); i++) {
        const index = o.start + i;
        const name = scenarioName(o.seed, index);
        const text = generateScenario(o.seed, index, { areas: o.areas, without: o.without, minLines: o.minLines, maxLines: o.maxLines, beyondSpec: o.beyondSpec });
        items.push({ name, text, index });
        if (o.keepAll) writeFileSync(join(o.outDir, 'all', name), text);
      }
      const results = await runner.compare(items);
      results.forEach((r, i) => {
        if (!r.diff) return;
        const it = items[i]!;
        // A generated scenario that breaks the host-independence rules is a generator bug, not a tskern one.
        const host = hostDependence(it.text);
        const diff: Difference = host === undefined ? r.diff : { ...r.diff, signature: `generator: host-dependent scenario (${host.replace(/^line \d+: /, '')})`, linuxScenarioError: true };
        const m: Mismatch = { name: it.name, index: it.index, text: it.text, diff, ...(r.tsk.detail ? { detail: r.tsk.detail } : {}) };
        mismatches.push(m);
        const list = bySignature.get(diff.signature) ?? [];
        list.push(m);
        bySignature.set(diff.signature, list);
      });
      const done = Math.min(o.count, b + o.batch);
      o.log(`fuzz: ${done}/${o.count} scenarios, ${mismatches.length} mismatches (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const runSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (const [sig, list] of bySignature) {
      for (const m of list.slice(0, o.maxPerSignature)) {
        const base = m.name.replace(/\.scn$/, '');
        writeFileSync(join(o.outDir, `${base}.orig.scn`), m.text);
        if (!o.minimize || m.diff.linuxScenarioError) continue;
        const r = await minimize(m.text, sig, (texts) => runner.evaluate(texts));
        const body = opLines(r.text);
        const placeholder = '#\n#\n#\n' + body.join('\n') + '\n';
        const [check] = await runner.compare([{ name: `${base}.scn`, text: placeholder }]);
        const text = header(m, check?.diff, opLines(m.text).length, body.length) + '\n' + body.join('\n') + '\n';
        const file = join(o.outDir, `${base}.scn`);
        writeFileSync(file, text);
        m.minimized = file;
        m.minimizedLines = body.length;
        o.log(`fuzz: minimised ${m.name} (${sig}) to ${body.length} lines in ${r.rounds} rounds: ${file}`);
      }
    }
    const minimizeSeconds = (performance.now() - t1) / 1000;
    writeSummary(o, mismatches, bySignature, runSeconds);
    return { scenarios: o.count, mismatches, bySignature, runSeconds, minimizeSeconds };
  } finally {
    await runner.close();
  }
}

function writeSummary(o: DifferentialOptions, mismatches: Mismatch[], bySignature: Map<string, Mismatch[]>, seconds: number): void {
  const lines = [
    `seed ${o.seed}, scenarios ${o.start}..${o.start + o.count - 1}, areas ${[...o.areas].join(',')}: ${mismatches.length} mismatches in ${seconds.toFixed(1)} s`,
    '',
  ];
  const sorted = [...bySignature].sort((a, b) => b[1].length - a[1].length);
  for (const [sig, list] of sorted) {
    lines.push(`${list.length}× ${sig}`);
    for (const m of list.slice(0, o.maxPerSignature)) {
      lines.push(`    ${m.name}: line ${m.diff.line ?? 'END'}: Linux «${m.diff.linux ?? ''}» / tskern «${m.diff.tskern ?? ''}»`);
      if (m.minimized) lines.push(`    minimised (${m.minimizedLines} lines): ${m.minimized}`);
      if (m.detail) lines.push(...m.detail.split('\n').slice(0, 8).map((l) => `      ${l}`));
    }
    if (list.length > o.maxPerSignature) lines.push(`    ... and ${list.length - o.maxPerSignature} more: ${list.slice(o.maxPerSignature, o.maxPerSignature + 20).map((m) => m.index).join(' ')}`);
  }
  writeFileSync(join(o.outDir, 'summary.txt'), lines.join('\n') + '\n');
}
