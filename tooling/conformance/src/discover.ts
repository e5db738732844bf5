/** Finding the scenarios of the suite: every `**\/*.scn` under scenarios/, with its `.golden` beside it. */
import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface ScenarioFile {
  /** Path relative to the scenarios directory, with `/` separators (`area/name.scn`). */
  readonly rel: string;
  readonly scn: string;
  /** The golden transcript's path, or undefined when there is none. */
  readonly golden: string | undefined;
}

/** Every .scn file under `dir`, sorted by relative path. A missing directory has none. */
export function findScenarios(dir: string): ScenarioFile[] {
  if (!existsSync(dir)) return [];
  const rels = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.scn'))
    .map((f) => f.split(sep).join('/'))
    .sort();
  return rels.map((rel) => {
    const scn = join(dir, rel);
    const golden = scn.slice(0, -'.scn'.length) + '.golden';
    return { rel, scn, golden: existsSync(golden) ? golden : undefined };
  });
}
