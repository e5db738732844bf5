/**
 * The conformance suite: run every scenario that has a Linux golden
 * transcript on a fresh tskern kernel, compare, and hold the differences to
 * known-gaps.txt.
 */
import { readFileSync } from 'node:fs';
import { diffLines, firstDifference, formatDifference, transcriptLines } from './compare';
import { findScenarios } from './discover';
import { readGaps, updatedGapsText, writeGaps } from './gaps';
import type { Executor, Outcome } from './outcome';

export interface SuiteOptions {
  readonly scenariosDir: string;
  readonly gapsFile: string;
  /** Run only scenarios whose relative path contains this. */
  readonly filter?: string;
  /** Rewrite known-gaps.txt to the differing set instead of checking it. */
  readonly updateGaps?: boolean;
  /** Print full diffs and the runs' stderr. */
  readonly verbose?: boolean;
}

/** Where the suite prints, one line at a time (without newline). */
export interface SuiteIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const GAPS_NAME = 'known-gaps.txt';

function indent(text: string, by = '    '): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => by + l);
}

/** A difference within the transcript printed before a crash or timeout, as a prefix. */
function earlier(golden: string, partial: string): string {
  const d = firstDifference(golden, partial);
  if (d && d.got !== undefined) return `${formatDifference(d)}; then `;
  return `line ${transcriptLines(partial).length + 1}: `;
}

/** What is wrong with an outcome, on one line; undefined when identical to the golden. */
function verdict(outcome: Exclude<Outcome, { kind: 'fatal' }>, golden: string): string | undefined {
  switch (outcome.kind) {
    case 'ran': {
      const d = firstDifference(golden, outcome.transcript);
      return d && formatDifference(d);
    }
    case 'crash': {
      const where = outcome.line === 0 ? 'before the first line' : `at scenario line ${outcome.line}`;
      return `${earlier(golden, outcome.transcript)}tskern threw ${where}: ${outcome.message} (a kernel bug)`;
    }
    case 'timeout': {
      const where = outcome.line !== undefined ? ` (before scenario line ${outcome.line})` : '';
      return `${earlier(golden, outcome.transcript)}timed out after ${outcome.ms} ms${where}`;
    }
  }
}

/** Run the suite; returns the exit status (0 ok, 1 unexpected differences or fixed gaps, 2 cannot run). */
export async function runSuite(options: SuiteOptions, executor: Executor, io: SuiteIo): Promise<number> {
  const scenarios = findScenarios(options.scenariosDir).filter((s) => options.filter === undefined || s.rel.includes(options.filter));
  const inScope = (rel: string): boolean => options.filter === undefined || rel.includes(options.filter);
  const gaps = readGaps(options.gapsFile);
  const differing = new Set<string>();
  const identical = new Set<string>();
  try {
    for (const s of scenarios) {
      if (s.golden === undefined) {
        io.stderr(`warning: ${s.rel} has no golden transcript (${s.rel.replace(/\.scn$/, '.golden')}); skipped`);
        continue;
      }
      const text = readFileSync(s.scn, 'utf8');
      const golden = readFileSync(s.golden, 'utf8');
      const outcome = await executor.run({ rel: s.rel, text });
      if (outcome.kind === 'fatal') {
        io.stderr(`conformance: cannot run the scenarios: ${outcome.message}`);
        return 2;
      }
      const why = verdict(outcome, golden);
      if (why === undefined) {
        identical.add(s.rel);
        io.stdout(`identical  ${s.rel}`);
        continue;
      }
      differing.add(s.rel);
      io.stdout(`differs    ${s.rel}: ${why}`);
      if (outcome.kind === 'crash' && outcome.stack !== '') for (const l of indent(outcome.stack)) io.stdout(l);
      if (options.verbose) {
        for (const l of diffLines(golden, outcome.transcript)) io.stdout(`    ${l}`);
        if (outcome.kind === 'ran' && outcome.stderr !== '') for (const l of indent(outcome.stderr, '    stderr: ')) io.stdout(l);
      }
    }
  } finally {
    await executor.close();
  }
  const total = identical.size + differing.size;
  io.stdout(`${identical.size}/${total} scenarios identical to Linux`);

  if (options.updateGaps) {
    const before = [...gaps.paths].filter(inScope);
    const text = updatedGapsText(gaps, differing, inScope);
    writeGaps(options.gapsFile, text);
    const added = [...differing].filter((p) => !gaps.paths.has(p)).length;
    const removed = before.filter((p) => !differing.has(p)).length;
    io.stdout(`${GAPS_NAME}: ${differing.size} differing scenario(s) listed (${added} added, ${removed} removed)`);
    return 0;
  }

  const ran = new Set([...identical, ...differing]);
  const stale = [...gaps.paths].filter((p) => inScope(p) && !ran.has(p));
  for (const p of stale) io.stderr(`warning: ${GAPS_NAME} lists ${p}, which is not a scenario with a golden transcript`);
  const unexpected = [...differing].filter((p) => !gaps.paths.has(p));
  const fixed = [...identical].filter((p) => gaps.paths.has(p));
  if (unexpected.length > 0) {
    io.stderr(`conformance: ${unexpected.length} scenario(s) differ from Linux and are not in ${GAPS_NAME}:`);
    for (const p of unexpected) io.stderr(`  ${p}`);
    io.stderr(`hint: fix tskern (pnpm conformance --verbose --filter NAME shows the diff); a gap that is expected for now goes in tooling/conformance/${GAPS_NAME}`);
  }
  if (fixed.length > 0) {
    io.stderr(`conformance: ${fixed.length} scenario(s) in ${GAPS_NAME} are now identical to Linux:`);
    for (const p of fixed) io.stderr(`  ${p}`);
    io.stderr(`hint: remove them from tooling/conformance/${GAPS_NAME} (or run pnpm conformance --update-gaps)`);
  }
  return unexpected.length > 0 || fixed.length > 0 ? 1 : 0;
}
