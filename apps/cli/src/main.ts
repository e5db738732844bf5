/**
 * The `tskern` command: `tskern run [--check] FILE...`. Standard output
 * carries transcripts only, so stray console output (a debug print in the
 * kernel) is sent to standard error.
 */
import { readFileSync } from 'node:fs';
import { runCli } from './cli';

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
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    // Loaded on first use, so that --help and usage errors work even when
    // the kernel does not load.
    createKernel: async () => {
      const { createKernel } = await import('@tskern/kernel');
      return createKernel();
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
