/**
 * known-gaps.txt: the scenarios expected to differ from Linux for now, one
 * path (relative to scenarios/) per line; `#` starts a comment. The suite
 * fails when a listed scenario becomes identical, so the list only shrinks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface KnownGaps {
  /** The listed paths. */
  readonly paths: Set<string>;
  /** The comment block at the top of the file (kept by `--update-gaps`). */
  readonly header: string[];
  /** Each path's line as written (with its trailing comment, if any). */
  readonly lines: Map<string, string>;
}

export const DEFAULT_GAPS_HEADER = [
  '# Conformance scenarios that differ from Linux for now (paths relative to',
  '# tooling/conformance/scenarios/). `pnpm conformance` fails when one of them',
  '# becomes identical, so this list only shrinks; `pnpm conformance --update-gaps`',
  '# rewrites it to the currently differing set.',
];

export function parseGaps(text: string): KnownGaps {
  const paths = new Set<string>();
  const header: string[] = [];
  const lines = new Map<string, string>();
  let inHeader = true;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const path = line.replace(/#.*$/, '').trim();
    if (path === '') {
      if (inHeader && line.trim() !== '') header.push(line);
      else if (inHeader && header.length > 0) inHeader = false;
      continue;
    }
    inHeader = false;
    paths.add(path);
    lines.set(path, line.trim());
  }
  return { paths, header, lines };
}

export function readGaps(file: string): KnownGaps {
  return existsSync(file) ? parseGaps(readFileSync(file, 'utf8')) : { paths: new Set(), header: [], lines: new Map() };
}

/**
 * The new file text when `differing` is the set of differing scenarios among
 * those the run covered (`inScope`); entries outside the scope stay.
 */
export function updatedGapsText(gaps: KnownGaps, differing: Iterable<string>, inScope: (rel: string) => boolean): string {
  const keep = [...gaps.paths].filter((p) => !inScope(p));
  const all = [...new Set([...keep, ...differing])].sort();
  const header = gaps.header.length > 0 ? gaps.header : DEFAULT_GAPS_HEADER;
  const body = all.map((p) => gaps.lines.get(p) ?? p);
  return [...header, '', ...body].join('\n') + '\n';
}

export function writeGaps(file: string, text: string): void {
  writeFileSync(file, text);
}
