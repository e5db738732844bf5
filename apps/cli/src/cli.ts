/**
 * `tskern` command-line logic, with its side effects (files, output, kernel
 * creation) passed in so that tests can drive it with fakes. `main.ts` wires
 * it to the process and to `@tskern/kernel`.
 */
import { basename } from 'node:path';
import {
  describeThrown,
  formatOp,
  parseLine,
  runScenarioStreaming,
  splitLines,
  ScenarioCrash,
  ScenarioTimeout,
  type ScenarioKernel,
  type ScenarioStatus,
} from '@tskern/scenario';

/** What the CLI needs from its surroundings. */
export interface CliEnv {
  /** Standard output: transcripts (and `--help`, `--version`) only. */
  stdout(text: string): void;
  /** Standard error: everything else. */
  stderr(text: string): void;
  /**
   * Read a scenario file's bytes (`-` is standard input); throws when it
   * cannot. `path` is as the user typed it: the binary resolves it against
   * the directory the command was run from.
   */
  readFile(path: string): Uint8Array;
  /** A fresh kernel (called once per file, only when a file is run). */
  createKernel(): ScenarioKernel | Promise<ScenarioKernel>;
  /** The package version, for `--version`. */
  readonly version: string;
  /** Milliseconds on a monotonic clock, for the summary (default `performance.now`). */
  now?(): number;
  /** `tskern exec ARGS...`: run a riscv64 program (absent: the command is unavailable). */
  exec?(args: readonly string[]): number | Promise<number>;
}

/** Exit statuses: the spec's 0/1/2, and 2 for usage errors and crashes too. */
export const EXIT_OK = 0;
export const EXIT_MISMATCH = 1;
export const EXIT_ERROR = 2;

export const USAGE = `usage: tskern run [--check] [--verbose] FILE...
       tskern exec [OPTION]... [--] PROGRAM [ARG...]
       tskern --help | --version

Commands:
  run FILE...   Run each .scn scenario on a fresh tskern kernel and print its
                transcript (one "LINE: RESULT" per operation) on standard
                output. With more than one file, each transcript is preceded
                by a line "== NAME" (the file's base name), and a summary
                (files, operations, failures, time) goes to standard error.

  exec PROGRAM  Run a riscv64 Linux program (a host path) on a fresh kernel,
                its standard streams the host's (tskern exec --help).

Options of run:
  --check       Compare each result with the line's inline expectation
                (" => EXPECTED"); mismatches are reported on standard error.
  --verbose     Print each operation beside its result:
                "LINE: OPERATION => RESULT".
  --            End of options (for files whose name starts with "-").
  -             As a FILE: read the scenario from standard input.

Paths are relative to the directory the command was run from (under
"pnpm tskern", the directory pnpm was started in).

Exit status: 0 when every file ran to its end, 1 when an expectation did not
match under --check, 2 for a scenario error, an unreadable or non-text file,
a tskern crash or a usage error; with several files, the worst of them.
Errors go to standard error as "FILE:LINE: ...".
The scenario language: docs/scenario-language.md in the tskern repository.
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
  if (command === '--version' || command === '-V') {
    env.stdout(`tskern ${env.version}\n`);
    return EXIT_OK;
  }
  if (command === 'run') return runCommand(rest, env);
  if (command === 'exec' && env.exec !== undefined) return env.exec(rest);
  if (command.startsWith('-')) return usageError(env, `unknown option ${command}`);
  return usageError(env, `unknown command ${command}`);
}

interface RunFlags {
  readonly check: boolean;
  readonly verbose: boolean;
}

/** What one file's run amounted to, for the summary. */
interface FileOutcome {
  readonly status: ScenarioStatus;
  readonly operations: number;
}

async function runCommand(args: readonly string[], env: CliEnv): Promise<number> {
  let check = false;
  let verbose = false;
  const files: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && a === '--check') check = true;
    else if (options && (a === '--verbose' || a === '-v')) verbose = true;
    else if (options && (a === '--help' || a === '-h')) {
      env.stdout(USAGE);
      return EXIT_OK;
    } else if (options && a.startsWith('-') && a !== '-')
      return usageError(env, `run: unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) return usageError(env, 'run: no scenario files given');
  const now = env.now ?? (() => performance.now());
  const started = now();
  let worst: ScenarioStatus = 0;
  let operations = 0;
  const failed: string[] = [];
  for (const file of files) {
    if (files.length > 1) env.stdout(`== ${file === '-' ? '-' : basename(file)}\n`);
    const outcome = await runFile(file, { check, verbose }, env);
    operations += outcome.operations;
    if (outcome.status !== 0) failed.push(displayName(file));
    if (outcome.status > worst) worst = outcome.status;
  }
  if (files.length > 1) {
    const seconds = ((now() - started) / 1000).toFixed(2);
    const failures =
      failed.length === 0 ? '0 failed' : `${failed.length} failed (${failed.join(', ')})`;
    env.stderr(
      `tskern: ${files.length} files, ${operations} operations, ${failures}, ${seconds} s\n`,
    );
  }
  return worst;
}

/** How a file is named in messages: as typed, standard input as `<stdin>`. */
function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or why it is not a scenario (binary, not UTF-8). */
function decodeScenario(bytes: Uint8Array): string | { readonly why: string } {
  if (bytes.includes(0))
    return { why: 'not a text file (it holds NUL bytes); a scenario is UTF-8 text' };
  try {
    return utf8.decode(bytes);
  } catch {
    return { why: 'not a text file (not valid UTF-8); a scenario is UTF-8 text' };
  }
}

/** `LINE: OPERATION => RESULT` for --verbose, from a transcript line `LINE: RESULT`. */
function verboseLine(transcript: string, lines: readonly string[]): string {
  const colon = transcript.indexOf(':');
  const lineNo = Number(transcript.slice(0, colon));
  const result = transcript.slice(colon + 2);
  let op: string;
  try {
    const parsed = parseLine(lines[lineNo - 1] ?? '', lineNo);
    op = parsed ? formatOp(parsed.op) : (lines[lineNo - 1] ?? '').trim();
  } catch {
    op = (lines[lineNo - 1] ?? '').trim();
  }
  return `${lineNo}: ${op} => ${result}`;
}

async function runFile(file: string, flags: RunFlags, env: CliEnv): Promise<FileOutcome> {
  const name = displayName(file);
  let bytes: Uint8Array;
  try {
    bytes = env.readFile(file);
  } catch (e) {
    env.stderr(`${name}: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
    return { status: 2, operations: 0 };
  }
  const text = decodeScenario(bytes);
  if (typeof text !== 'string') {
    env.stderr(`${name}: ${text.why}\n`);
    return { status: 2, operations: 0 };
  }
  if (text.trim() === '') {
    env.stderr(`${name}: empty file, nothing to run\n`);
    return { status: 0, operations: 0 };
  }
  const lines = flags.verbose ? splitLines(text) : [];
  let operations = 0;
  try {
    const kernel = await env.createKernel();
    const status = runScenarioStreaming(
      text,
      { kernel, fileName: name, check: flags.check },
      {
        transcript: (l) => {
          operations++;
          env.stdout((flags.verbose ? verboseLine(l, lines) : l) + '\n');
        },
        // The runner's diagnostics start with "LINE: "; users get FILE:LINE:.
        diagnostic: (l) => env.stderr(`${name}:${l}\n`),
      },
    );
    if (operations === 0 && status === 0)
      env.stderr(`${name}: no operations (only comments and blank lines)\n`);
    return { status, operations };
  } catch (e) {
    if (e instanceof ScenarioCrash) {
      env.stderr(
        `${name}:${e.line}: internal error: ${describeThrown(e.cause)} (a tskern bug; the run of ${name} stops here)\n`,
      );
      const stack = e.cause instanceof Error ? e.cause.stack : undefined;
      if (stack) env.stderr(stack.replace(/^/gm, '    ') + '\n');
    } else if (e instanceof ScenarioTimeout) {
      env.stderr(`${name}:${e.line}: internal error: ${e.message}\n`);
    } else {
      env.stderr(`${name}: internal error: ${describeThrown(e)}\n`);
      if (e instanceof Error && e.stack) env.stderr(e.stack.replace(/^/gm, '    ') + '\n');
    }
    return { status: 2, operations };
  }
}
