/**
 * pnpm bench: every case on tskern (in process, through the syscall layer)
 * and on its reference (Linux through tooling/native-bench, memfs, the JS
 * copy limit), side by side. See ../README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs, USAGE } from './args';
import { GROUPS } from './cases/index';
import type { BenchContext } from './context';
import { Native } from './native';
import { Profiler } from './profile';
import { describeMachine, formatMarkdown, formatTable, machine, toJson } from './report';
import { scalingSvg } from './svg';
import type { CaseResult } from './types';

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = args.only.filter((g) => !GROUPS.some((x) => x.name === g));
  if (unknown.length > 0) {
    process.stderr.write(`unknown group: ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const started = process.hrtime.bigint();
  const m = machine();
  const log = (text: string) => void process.stderr.write(text);
  const native = Native.build(log);
  if (native.problem !== null) log(`${native.problem}: Linux references are missing\n`);
  const profiler = args.profile ? new Profiler(join(args.out, 'profile')) : null;
  const ctx: BenchContext = { native, log, profile: (name, fn) => (profiler === null ? fn() : profiler.profile(name, fn)) };

  const results: CaseResult[] = [];
  for (const group of GROUPS) {
    if (args.only.length > 0 && !args.only.includes(group.name)) continue;
    log(`${group.name}\n`);
    results.push(...group.run(ctx));
  }

  process.stdout.write(`\n${describeMachine(m)}\n\n${formatTable(results)}`);
  const svg = scalingSvg(results);
  if (svg !== null) {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'scaling.svg'), svg);
    log(`wrote ${join(args.out, 'scaling.svg')}\n`);
  }
  if (args.json !== null) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, toJson(results, m));
    log(`wrote ${args.json}\n`);
  }
  if (args.markdown !== null) {
    mkdirSync(dirname(args.markdown), { recursive: true });
    writeFileSync(args.markdown, formatMarkdown(results, m));
    log(`wrote ${args.markdown}\n`);
  }
  if (profiler !== null) log(`wrote CPU profiles and hot spots to ${join(args.out, 'profile')}/\n`);
  log(`done in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
