/**
 * Comparing a Linux transcript with a tskern one: the first differing line,
 * and a signature that groups differences with the same likely cause.
 */
import type { TskernOutcome } from './tskern-side';

export interface Difference {
  /** The 1-based scenario line of the first differing transcript line (undefined for END markers). */
  readonly line: number | undefined;
  /** The operation on that line (`mremap`, ...), or `END`. */
  readonly op: string;
  /** The differing transcript lines (undefined: that side printed nothing more). */
  readonly linux: string | undefined;
  readonly tskern: string | undefined;
  /** Groups differences by likely cause. */
  readonly signature: string;
  /** The scenario does not run on Linux (a generator bug, not a tskern one). */
  readonly linuxScenarioError: boolean;
}

function lines(t: string): string[] {
  const l = t.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** The RESULT part of `LINE: RESULT`. */
function resultOf(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  const i = line.indexOf(': ');
  return i < 0 ? line : line.slice(i + 2);
}

/** A coarse shape of a result: errnos and signals kept, values reduced to their kind. */
export function shape(result: string | undefined): string {
  if (result === undefined) return '(nothing)';
  if (/^-E[A-Z0-9]+$/.test(result) || ['ok', 'SIGSEGV', 'SIGBUS', 'true', 'false', ''].includes(result)) return result || '(empty)';
  if (result.startsWith('scenario error')) return 'scenario-error';
  if (result.startsWith('CRASH') || result.startsWith('TIMEOUT') || result.startsWith('HANG') || result.startsWith('LEAK')) return result.split(' ')[0]!;
  if (result.startsWith('"')) return 'bytes';
  if (result.startsWith('fnv=')) return 'fnv';
  if (result.startsWith('size=')) return 'stat';
  if (result.startsWith('+0x')) return 'maps';
  if (/^[01]+$/.test(result)) return 'mincore';
  if (/^\d+$/.test(result)) return 'count';
  return 'value';
}

/** The operation name on 1-based line `n` of a scenario. */
export function opAt(text: string, n: number | undefined): string {
  if (n === undefined) return 'END';
  const line = text.split('\n')[n - 1];
  if (line === undefined) return '?';
  return line.replace(/#.*/, '').trim().split(/[ \t]+/)[1] ?? '?';
}

/** Compare; undefined when the transcripts are identical. */
export function compareTranscripts(text: string, linux: string, tsk: TskernOutcome): Difference | undefined {
  const a = lines(linux);
  const b = lines(tsk.transcript);
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const l = a[i];
    const t = b[i];
    const marker = t ?? l ?? '';
    const m = /^(\d+):/.exec(marker);
    const line = m ? Number(m[1]) : undefined;
    const op = opAt(text, line);
    const linuxScenarioError = l !== undefined && /^\d+: (scenario error|runner:)/.test(l);
    let signature: string;
    if (linuxScenarioError) signature = `linux scenario error: ${resultOf(l)!.replace(/\d+/g, '#').slice(0, 100)}`;
    else if (tsk.problem !== undefined) signature = `tskern ${tsk.problem}`;
    else signature = `${op}: linux ${shape(resultOf(l))} / tskern ${shape(resultOf(t))}`;
    return { line, op, linux: l, tskern: t, signature, linuxScenarioError };
  }
  return undefined;
}
