/**
 * `tskern` command-line logic, with its side effects (files, output, kernel
 * creation) passed in so that tests can drive it with fakes. `main.ts` wires
 * it to the process and to `@tskern/kernel`.
 */
import { basename } from 'node:path';
import {
  describeThrown,
  runScenarioStreaming,
  ScenarioCrash,
  ScenarioTimeout,
  type ScenarioKernel,
  type ScenarioStatus,
} from '@tskern/scenario';

/** What the CLI needs from its surroundings. */
export interface CliEnv {
  /** Standard output: transcripts (and `--help`) only. */
  stdout(text: string): void;
  /** Standard error: everything else. */
  stderr(text: string): void;
  /** Read a scenario file (`-` is standard input); throws when it cannot. */
  readFile(path: string): string;
  /** A fresh kernel (called once per file, only when a file is run). */
  createKernel(): ScenarioKernel | Promise<ScenarioKernel>;
}

/** Exit statuses: the spec's 0/1/2, and 2 for usage errors and crashes too. */
export const EXIT_OK = 0;
export const EXIT_MISMATCH = 1;
export const EXIT_ERROR = 2;

export const USAGE = `usage: tskern run [--check] FILE...
       tskern --help

Commands:
  run FILE...   Run each .scn scenario on a fresh tskern kernel and print its
                transcript (one "LINE: RESULT" per operation) on standard
                output. With more than one file, each transcript is preceded
                by a line "== NAME" (the file's base name).

Options of run:
  --check       Compare each result with the line's inline expectation
                (" => EXPECTED"); mismatches are reported on standard error.
  --            End of options (for files whose name starts with "-").
  -             As a FILE: read the scenario from standard input.

Exit status: 0 when every file ran to its end, 1 when an expectation did not
match under --check, 2 for a scenario error, an unreadable file, a tskern
crash or a usage error; with several files, the worst of them.
Scenario errors and check details go to standard error as "LINE: ...".
The format: /work/shared/scenario-format.md.
`;

function usageError(env: CliEnv, message: string): number {
  env.stderr(`tskern: ${message}\n`);
  env.stderr(`Try 'tskern --help'.\n`);
  return EXIT_ERROR;
}

/** Run the CLI with `args` (without `node` and the script). Returns the exit status. */
export async function runCli(args: readonly string[], env: CliEnv): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    env.stderr(USAGE);
    return EXIT_ERROR;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    env.stdout(USAGE);
    return EXIT_OK;
  }
  if (command === 'run') return runCommand(rest, env);
  if (command.startsWith('-')) return usageError(env, `unknown option ${command}`);
  return usageError(env, `unknown command ${command}`);
}

async function runCommand(args: readonly string[], env: CliEnv): Promise<number> {
  let check = false;
  const files: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && a === '--check') check = true;
    else if (options && (a === '--help' || a === '-h')) {
      env.stdout(USAGE);
      return EXIT_OK;
    } else if (options && a.startsWith('-') && a !== '-') return usageError(env, `run: unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) return usageError(env, 'run: no scenario files given');
  let worst: ScenarioStatus = 0;
  for (const file of files) {
    if (files.length > 1) env.stdout(`== ${file === '-' ? '-' : basename(file)}\n`);
    const status = await runFile(file, check, env);
    if (status > worst) worst = status;
  }
  return worst;
}

async function runFile(file: string, check: boolean, env: CliEnv): Promise<ScenarioStatus> {
  let text: string;
  try {
    text = env.readFile(file);
  } catch (e) {
    env.stderr(`tskern: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  try {
    const kernel = await env.createKernel();
    return runScenarioStreaming(
      text,
      { kernel, fileName: file, check },
      { transcript: (l) => env.stdout(l + '\n'), diagnostic: (l) => env.stderr(l + '\n') },
    );
  } catch (e) {
    if (e instanceof ScenarioCrash) {
      env.stderr(`${e.line}: internal error: ${describeThrown(e.cause)} (a tskern bug; the run of ${file} stops here)\n`);
      const stack = e.cause instanceof Error ? e.cause.stack : undefined;
      if (stack) env.stderr(stack.replace(/^/gm, '    ') + '\n');
    } else if (e instanceof ScenarioTimeout) {
      env.stderr(`${e.line}: internal error: ${e.message}\n`);
    } else {
      env.stderr(`tskern: ${file}: internal error: ${describeThrown(e)}\n`);
      if (e instanceof Error && e.stack) env.stderr(e.stack.replace(/^/gm, '    ') + '\n');
    }
    return 2;
  }
}
