/**
 * `pnpm conformance:programs`: every riscv64 binary of the program suite
 * (tooling/programs: bin/riscv64/NAME, golden transcripts expected/NAME.out
 * from Linux x86-64) runs on a fresh tskern kernel through @tskern/runtime,
 * the way tooling/programs/run-one.py runs it on Linux: argv [NAME], the
 * fixed environment, a fresh empty working directory, stdin /dev/null, only
 * fds 0-2 open. The transcript (stdout, then `exit N` or `signal N`) is
 * compared with the golden file. Prints one line per program, the first
 * differing lines of each difference, then `N/M programs identical to Linux`.
 *
 *   pnpm conformance:programs [--suite DIR] [NAME...]
 *
 * `--suite` names another copy of the suite's directory (default tooling/programs).
 * The run exits 1 when a program differs, unless the suite's known-gaps.txt
 * lists it (and when a listed program has become identical).
 * The glibc examples (glibc/bin/riscv64, glibc/expected) run after the suite,
 * labelled `glibc/NAME`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from './program-run';

const DEFAULT_SUITE = fileURLToPath(new URL('../../programs', import.meta.url));
/** A program still running after this long has failed (a hang is not a transcript). */
const TIMEOUT_MS = 60_000;

function firstDifference(expected: string, got: string): string {
  const a = expected.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `  line ${i + 1}: expected ${JSON.stringify(a[i] ?? null)}, got ${JSON.stringify(b[i] ?? null)}`;
  }
  return '';
}

/** Programs of the suite that differ from Linux for now (`known-gaps.txt` in the suite: one label a line, `#` comments). */
function knownGaps(suite: string): Set<string> {
  const file = `${suite}/known-gaps.txt`;
  if (!existsSync(file)) return new Set();
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim());
  return new Set(lines.filter((l) => l !== ''));
}

function main(argv: readonly string[]): number {
  let suite = DEFAULT_SUITE;
  const args = [...argv];
  const at = args.indexOf('--suite');
  if (at >= 0) {
    const dir = args[at + 1];
    if (dir === undefined) {
      process.stderr.write('conformance:programs: --suite needs a directory\n');
      return 2;
    }
    suite = resolve(process.env['INIT_CWD'] ?? process.cwd(), dir);
    args.splice(at, 2);
  }
  if (!existsSync(`${suite}/bin/riscv64`) || !existsSync(`${suite}/expected`)) {
    process.stderr.write(`conformance:programs: no program suite at ${suite} (bin/riscv64 and expected/)\n`);
    return 2;
  }
  // The freestanding suite, then the glibc examples (glibc/bin/riscv64, glibc/expected).
  const programs: { label: string; bin: string; name: string; golden: string }[] = [];
  for (const [prefix, dir] of [['', suite], ['glibc/', `${suite}/glibc`]] as const) {
    if (!existsSync(`${dir}/expected`)) continue;
    for (const f of readdirSync(`${dir}/expected`).filter((e) => e.endsWith('.out')).sort()) {
      const name = f.slice(0, -4);
      programs.push({ label: `${prefix}${name}`, bin: `${dir}/bin/riscv64`, name, golden: `${dir}/expected/${f}` });
    }
  }
  const chosen = args.length > 0 ? programs.filter((p) => args.includes(p.label) || args.includes(p.name)) : programs;
  const gaps = knownGaps(suite);
  const unexpected: string[] = [];
  let same = 0;
  for (const p of chosen) {
    const expected = readFileSync(p.golden, 'utf8');
    if (!existsSync(`${p.bin}/${p.name}`)) {
      process.stdout.write(`missing    ${p.label} (no binary)\n`);
      continue;
    }
    const started = Date.now();
    const got = runProgram(p.bin, p.name, () => Date.now() - started > TIMEOUT_MS);
    if (got.transcript === expected) {
      same++;
      process.stdout.write(`identical  ${p.label}\n`);
      if (gaps.has(p.label)) unexpected.push(`${p.label} is identical now: take it out of known-gaps.txt`);
    } else {
      if (!gaps.has(p.label)) unexpected.push(`${p.label} differs from Linux`);
      process.stdout.write(`differs    ${p.label}\n${firstDifference(expected, got.transcript)}\n`);
      if (got.stderr !== '') process.stdout.write(`  stderr: ${got.stderr.trimEnd().split('\n').join('\n          ')}\n`);
    }
  }
  process.stdout.write(`${same}/${chosen.length} programs identical to Linux\n`);
  // A difference fails the run unless known-gaps.txt lists it; a listed
  // program that became identical fails too, so the list only shrinks.
  for (const u of unexpected) process.stdout.write(`conformance:programs: ${u}\n`);
  return unexpected.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
