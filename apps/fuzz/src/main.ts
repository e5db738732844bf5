/**
 * `pnpm fuzz`: the differential scenario fuzzer (tskern against Linux) and,
 * with `--raw`, the raw syscall fuzzer. See apps/fuzz/README.md.
 */
import { cpus } from 'node:os';
import { SYS } from '@tskern/abi';
import { isAbsolute, join, resolve } from 'node:path';
import { runDifferential } from './differential';
import { ALL_AREAS, generateScenario, parseAreas, parseWithout, type Area } from './generator';
import { ensureLinuxRunner, repoRoot } from './linux';
import { runRawMain, type RawCliOptions } from './raw-main';

export const USAGE = `usage: pnpm fuzz [--seed S] [--count N] [--start I] [--out DIR] [--areas LIST] [options]
       pnpm fuzz --print [--seed S] [--start I] [--count N] [--areas LIST]
       pnpm fuzz --raw [--seed S] [--calls N] [--epoch-calls N] [--out DIR]
       pnpm fuzz --replay FILE.json

Differential mode (default): generate N scenarios from seed S (scenario I of
seed S is always the same text), run them on Linux (the Linux runner, once per
batch) and on tskern (worker threads, a fresh kernel each), compare the
transcripts, minimise each difference (delta debugging) and write it to DIR.
The last line is "fuzz: N scenarios, M mismatches".

  --seed S             PRNG seed (default 1)
  --count N            scenarios (default 1000)
  --start I            first scenario index (default 0)
  --areas LIST         comma-separated: ${ALL_AREAS.join(',')} or all (default all)
  --without OPS        comma-separated operations never to generate (e.g. mremap,
                       to look past a known mismatch)
  --lines MIN..MAX     operation lines per scenario (default 20..60)
  --beyond-spec        also deterministic Linux behaviour beyond the spec's lists
                       (more madvise advices, MAP_GROWSDOWN, MAP_STACK,
                       MAP_SHARED_VALIDATE|MAP_SYNC)
  --out DIR            where mismatches go (default .fuzz-out/ at the repo root)
  --batch N            files per Linux runner invocation (default 500)
  --jobs N             tskern worker threads (default: CPUs - 1, at least 1)
  --no-minimize        write mismatches without minimising them
  --max-per-signature N  minimise at most N mismatches of one kind (default 2)
  --no-invariants      run tskern without its expensive invariant checks
  --no-leak-check      do not check for leaked frames after each scenario
  --keep               also write every generated scenario to DIR/all/
  --strict             exit 1 when there is a mismatch
  --print              print the generated scenarios and exit

Raw mode (--raw): random syscalls with random arguments from many processes,
with invariant checks on; any exception, broken invariant, slow call or leaked
frame is reported with its seed and call index, and minimised to a replayable
JSON file in DIR.

  --calls N            calls in all (default 100000)
  --epoch-calls N      calls per fresh kernel (default 20000); each epoch ends
                       with every process exited and a leak check
  --epoch E            run only epoch E (reproduce a report)
  --check-every N      mm.check() of every process every N calls (default 500)
  --max-procs N        live processes at most (default 8)
  --call-budget-ms N   a call slower than this is a failure (default: calibrated
                       at start, the larger of 5000 and 4 times what this
                       host takes to touch as much fresh memory as the
                       kernel has frames)
  --hang-ms N          a call that does not return within this is a hang (default
                       60000; at least twice the slow-call limit)
  --trace-from I       with --epoch: run in this thread, printing each action
                       from call I on before it runs (what did a hang do?)
  --skip-calls LIST    syscalls never to make (names or numbers, e.g. lseek), to
                       look past a known failure
  --minimize-ms N      time to minimise each new kind of failure (default 300000)
  --replay FILE.json   replay a reproduction written by --raw
`;

function die(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseCalls(text: string): number[] {
  return text.split(',').filter((x) => x.trim() !== '').map((x) => {
    const name = x.trim();
    const nr = /^\d+$/.test(name) ? Number(name) : (SYS as Record<string, number>)[name];
    if (nr === undefined) die(`--skip-calls: unknown syscall ${name}`);
    return nr;
  });
}

function intArg(v: string | undefined, name: string): number {
  if (v === undefined) die(`${name} needs a value`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) die(`${name}: not a non-negative integer: ${v}`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  let seed = 1;
  let count = 1000;
  let start = 0;
  let areas: Set<Area> = new Set(ALL_AREAS);
  let without = new Set<string>();
  let minLines = 20;
  let maxLines = 60;
  let beyondSpec = false;
  let out: string | undefined;
  let batch = 500;
  let jobs = Math.max(1, cpus().length - 1);
  let minimize = true;
  let maxPerSignature = 2;
  let invariants = true;
  let leakCheck = true;
  let keepAll = false;
  let strict = false;
  let print = false;
  let raw = false;
  const rawOpts: { -readonly [K in keyof RawCliOptions]?: RawCliOptions[K] } = {};
  let replay: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case '--seed': seed = intArg(next(), a); break;
      case '--count': count = intArg(next(), a); break;
      case '--start': start = intArg(next(), a); break;
      case '--areas':
        try {
          areas = parseAreas(next() ?? '');
        } catch (e) {
          die((e as Error).message);
        }
        break;
      case '--without':
        try {
          without = parseWithout(next() ?? '');
        } catch (e) {
          die((e as Error).message);
        }
        break;
      case '--out': out = next(); break;
      case '--lines': {
        const m = /^(\d+)\.\.(\d+)$/.exec(next() ?? '');
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) die('--lines takes MIN..MAX, e.g. 20..60');
        minLines = Number(m[1]);
        maxLines = Number(m[2]);
        break;
      }
      case '--beyond-spec': beyondSpec = true; break;
      case '--batch': batch = Math.max(1, intArg(next(), a)); break;
      case '--jobs': jobs = Math.max(1, intArg(next(), a)); break;
      case '--no-minimize': minimize = false; break;
      case '--max-per-signature': maxPerSignature = intArg(next(), a); break;
      case '--no-invariants': invariants = false; break;
      case '--no-leak-check': leakCheck = false; break;
      case '--keep': keepAll = true; break;
      case '--strict': strict = true; break;
      case '--print': print = true; break;
      case '--raw': raw = true; break;
      case '--calls': rawOpts.calls = intArg(next(), a); break;
      case '--epoch-calls': rawOpts.epochCalls = Math.max(1, intArg(next(), a)); break;
      case '--epoch': rawOpts.onlyEpoch = intArg(next(), a); break;
      case '--check-every': rawOpts.checkEvery = Math.max(1, intArg(next(), a)); break;
      case '--max-procs': rawOpts.maxProcs = Math.max(1, intArg(next(), a)); break;
      case '--call-budget-ms': rawOpts.callBudgetMs = intArg(next(), a); break;
      case '--hang-ms': rawOpts.hangMs = intArg(next(), a); break;
      case '--replay': replay = next(); break;
      case '--trace-from': rawOpts.traceFrom = intArg(next(), a); break;
      case '--skip-calls': rawOpts.skip = parseCalls(next() ?? ''); break;
      case '--minimize-ms': rawOpts.minimizeMs = intArg(next(), a); break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        die(`unknown argument ${a}`);
    }
  }
  const root = repoRoot();
  const outDir = out === undefined ? join(root, '.fuzz-out') : isAbsolute(out) ? out : resolve(process.env.INIT_CWD ?? process.cwd(), out);

  if (print) {
    for (let i = start; i < start + count; i++) {
      if (count > 1) process.stdout.write(`== s${seed}-${i}.scn\n`);
      process.stdout.write(generateScenario(seed, i, { areas, without, minLines, maxLines, beyondSpec }));
    }
    return 0;
  }

  if (raw || replay !== undefined) {
    return runRawMain({
      seed,
      calls: rawOpts.calls ?? 100_000,
      epochCalls: rawOpts.epochCalls ?? 20_000,
      checkEvery: rawOpts.checkEvery ?? 500,
      maxProcs: rawOpts.maxProcs ?? 8,
      callBudgetMs: rawOpts.callBudgetMs,
      hangMs: rawOpts.hangMs ?? 60_000,
      outDir,
      strict,
      skip: rawOpts.skip ?? [],
      minimizeMs: rawOpts.minimizeMs ?? 300_000,
      ...(rawOpts.onlyEpoch !== undefined ? { onlyEpoch: rawOpts.onlyEpoch } : {}),
      ...(replay !== undefined ? { replay } : {}),
      ...(rawOpts.traceFrom !== undefined ? { traceFrom: rawOpts.traceFrom } : {}),
    });
  }

  const linuxRunner = ensureLinuxRunner(root);
  const t0 = performance.now();
  const summary = await runDifferential({
    seed, start, count, areas, without, minLines, maxLines, beyondSpec, outDir, linuxRunner, batch, jobs, minimize, maxPerSignature, keepAll,
    tskern: { invariants, leakCheck, timeoutMs: 10_000 },
    log: (l) => process.stderr.write(l + '\n'),
  });
  const sorted = [...summary.bySignature].sort((a, b) => b[1].length - a[1].length);
  for (const [sig, list] of sorted) {
    process.stdout.write(`${String(list.length).padStart(6)}× ${sig}\n`);
    for (const m of list.slice(0, maxPerSignature)) {
      process.stdout.write(`         ${m.minimized ?? join(outDir, m.name.replace(/\.scn$/, '.orig.scn'))}\n`);
    }
  }
  process.stdout.write(
    `fuzz: run ${summary.runSeconds.toFixed(1)} s, minimise ${summary.minimizeSeconds.toFixed(1)} s, total ${((performance.now() - t0) / 1000).toFixed(1)} s; summary in ${join(outDir, 'summary.txt')}\n`,
  );
  process.stdout.write(`fuzz: ${summary.scenarios} scenarios, ${summary.mismatches.length} mismatches\n`);
  return strict && summary.mismatches.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
