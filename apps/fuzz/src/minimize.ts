/**
 * Delta debugging (Zeller's ddmin, complements only) over the lines of a
 * scenario: drop chunks of lines while the scenario still shows a difference
 * with the same signature. A candidate that is no longer a valid scenario
 * (it uses a name whose binding line was dropped, an exited process, ...) is
 * rejected by re-running it: the evaluator answers `invalid` for it. Each
 * round's candidates are evaluated together, so the Linux runner starts once
 * per round.
 */

/** For each candidate text: its signature, `undefined` when it shows no difference, `invalid` when it is not a valid scenario. */
export type Evaluate = (texts: readonly string[]) => Promise<(string | undefined | 'invalid')[]>;

/** The operation lines of a scenario (comments and blank lines dropped). */
export function opLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function join(lines: readonly string[]): string {
  return lines.join('\n') + '\n';
}

function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const size = items.length / n;
  for (let i = 0; i < n; i++) out.push(items.slice(Math.round(i * size), Math.round((i + 1) * size)));
  return out.filter((c) => c.length > 0);
}

export interface MinimizeResult {
  readonly text: string;
  readonly rounds: number;
  readonly tested: number;
}

/** Minimise `text`, keeping `signature`. Returns the smallest text found. */
export async function minimize(text: string, signature: string, evaluate: Evaluate, maxRounds = 200): Promise<MinimizeResult> {
  let cur = opLines(text);
  let n = 2;
  let rounds = 0;
  let tested = 0;
  while (cur.length >= 2 && rounds < maxRounds) {
    rounds++;
    const parts = chunks(cur, Math.min(n, cur.length));
    const candidates = parts.map((_, i) => parts.filter((_, j) => j !== i).flat());
    const sigs = await evaluate(candidates.map(join));
    tested += candidates.length;
    const hit = sigs.findIndex((s) => s === signature);
    if (hit >= 0) {
      cur = candidates[hit]!;
      n = Math.max(n - 1, 2);
      continue;
    }
    if (n >= cur.length) break;
    n = Math.min(cur.length, n * 2);
  }
  return { text: join(cur), rounds, tested };
}
