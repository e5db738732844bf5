/** Comparing a tskern transcript with its Linux golden, line by line. */

/** The lines of a transcript (a final newline does not make an empty line). */
export function transcriptLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface FirstDifference {
  /** 1-based line of the transcripts. */
  readonly line: number;
  /** The golden's line, or undefined past its end. */
  readonly expected: string | undefined;
  /** tskern's line, or undefined past its end. */
  readonly got: string | undefined;
}

/** The first line where the transcripts differ, or undefined when they are identical. */
export function firstDifference(golden: string, actual: string): FirstDifference | undefined {
  const g = transcriptLines(golden);
  const a = transcriptLines(actual);
  for (let i = 0; i < Math.max(g.length, a.length); i++) {
    if (g[i] !== a[i]) return { line: i + 1, expected: g[i], got: a[i] };
  }
  return undefined;
}

function show(s: string | undefined): string {
  return s === undefined ? 'end of transcript' : `«${s}»`;
}

/** `line N: expected «...», got «...»`. */
export function formatDifference(d: FirstDifference): string {
  return `line ${d.line}: expected ${show(d.expected)}, got ${show(d.got)}`;
}

/**
 * A line diff (`- ` golden only, `+ ` tskern only, `  ` both) with `context`
 * lines around each change; `...` marks skipped lines.
 */
export function diffLines(golden: string, actual: string, context = 3): string[] {
  const g = transcriptLines(golden);
  const a = transcriptLines(actual);
  const ops = lcsDiff(g, a);
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, i) => {
    if (op.kind === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep[j] = true;
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, i) => {
    if (!keep[i]) {
      if (!skipped) out.push('  ...');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${op.kind} ${op.text}`);
  });
  return out;
}

interface DiffOp {
  readonly kind: ' ' | '-' | '+';
  readonly text: string;
}

/** Longest-common-subsequence diff; transcripts are short (a quadratic table is fine). */
function lcsDiff(g: string[], a: string[]): DiffOp[] {
  if (g.length * a.length > 4_000_000) {
    return [...g.map((text) => ({ kind: '-' as const, text })), ...a.map((text) => ({ kind: '+' as const, text }))];
  }
  const n = g.length;
  const m = a.length;
  const t: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i]![j] = g[i] === a[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && g[i] === a[j]) {
      ops.push({ kind: ' ', text: g[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || t[i + 1]![j]! >= t[i]![j + 1]!)) {
      ops.push({ kind: '-', text: g[i]! });
      i++;
    } else {
      ops.push({ kind: '+', text: a[j]! });
      j++;
    }
  }
  return ops;
}
