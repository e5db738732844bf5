/**
 * `pnpm conformance`: the tskern conformance suite against the Linux golden
 * transcripts (see USAGE in options.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE } from './options';
import { InProcessExecutor, type Executor } from './outcome';
import { runSuite } from './suite';
import { WorkerExecutor } from './worker-executor';
import type { ScenarioKernel } from '@tskern/scenario';

const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios', import.meta.url));
const GAPS_FILE = fileURLToPath(new URL('../known-gaps.txt', import.meta.url));

async function main(args: readonly string[]): Promise<number> {
  const options = parseOptions(args);
  if (typeof options === 'string') {
    process.stderr.write(`conformance: ${options}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = { timeoutMs: options.timeoutMs, ...(options.scratch ? { scratch: options.scratch } : {}) };
  // A hostfs scratch directory needs a kernel with a hostfs mounted for it.
  const profile = options.scratch === 'hostfs' ? 'hostfs' : options.kernel;
  const kernelModule = profile === 'default' ? '@tskern/kernel' : new URL(`./profiles/${profile}.ts`, import.meta.url).href;
  let executor: Executor;
  if (options.inProcess) {
    const { createKernel } = (await import(kernelModule)) as { createKernel: () => ScenarioKernel };
    executor = new InProcessExecutor(() => createKernel(), settings);
  } else {
    executor = new WorkerExecutor({ ...settings, kernelModule });
  }
  return runSuite(
    {
      scenariosDir: SCENARIOS_DIR,
      gapsFile: GAPS_FILE,
      updateGaps: options.updateGaps,
      verbose: options.verbose,
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
    },
    executor,
    { stdout: (l) => process.stdout.write(l + '\n'), stderr: (l) => process.stderr.write(l + '\n') },
  );
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
