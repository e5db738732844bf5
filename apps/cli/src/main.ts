/**
 * The `tskern` command: `tskern run [--check] [--verbose] FILE...` and
 * `tskern exec PROGRAM [ARG...]`. Standard output
 * carries transcripts only, so stray console output (a debug print in the
 * kernel) is sent to standard error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCli } from './cli';

/**
 * The directory the user ran the command from. `pnpm tskern ...` runs the
 * root script in the repository root, and pnpm (like npm) records the
 * directory it was started in as INIT_CWD; only a script named `tskern`
 * passes the user's own arguments through, so INIT_CWD is used only there.
 */
function userDirectory(): string {
  const init = process.env['INIT_CWD'];
  return init !== undefined && process.env['npm_lifecycle_event'] === 'tskern'
    ? init
    : process.cwd();
}

/** This package's version: package.json sits one level above src/ and dist/. */
function packageVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
}

console.log = console.error;
console.info = console.error;
console.debug = console.error;

// A reader that stops early (`tskern run x.scn | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

async function main(): Promise<number> {
  return runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : resolve(userDirectory(), path)),
    version: packageVersion(),
    // Loaded on first use, so that --help and usage errors work even when
    // the kernel does not load.
    createKernel: async () => {
      const { createKernel } = await import('@tskern/kernel');
      return createKernel();
    },
    exec: async (args) => {
      const { runNodeExec } = await import('./node-exec');
      return runNodeExec(args, userDirectory());
    },
  });
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`tskern: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
