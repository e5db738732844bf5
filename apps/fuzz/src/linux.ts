/**
 * The Linux side: the project's Linux runner (tooling/linux-runner) on many
 * files in one invocation, its output split at the `== NAME` headers. Its
 * standard error goes into the same pipe, so a `LINE: scenario error: ...`
 * lands inside its own file's transcript, in order (the runner flushes
 * standard output after each line; standard error is unbuffered).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

export function repoRoot(): string {
  return join(new URL('.', import.meta.url).pathname, '..', '..', '..');
}

export function linuxRunnerPath(root = repoRoot()): string {
  return join(root, 'tooling', 'linux-runner', 'build', 'linux-runner');
}

/** Build the runner when it is missing (tooling/linux-runner/build.sh). */
export function ensureLinuxRunner(root = repoRoot()): string {
  const path = linuxRunnerPath(root);
  if (!existsSync(path)) {
    const r = spawnSync('bash', [join(root, 'tooling', 'linux-runner', 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 || !existsSync(path)) throw new Error('could not build the Linux runner (tooling/linux-runner/build.sh)');
  }
  return path;
}

/** Split multi-file output into transcripts by base name. */
export function splitTranscripts(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let buf: string[] = [];
  const flush = (): void => {
    if (name !== undefined) out.set(name, buf.join(''));
  };
  for (const line of output.split(/(?<=\n)/)) {
    if (line.startsWith('== ')) {
      flush();
      name = line.slice(3).replace(/\n$/, '');
      buf = [];
    } else if (name !== undefined) buf.push(line.endsWith('\n') ? line : line + '\n');
  }
  flush();
  return out;
}

/**
 * Run the Linux runner on `files` (absolute paths with distinct base names),
 * once. Returns each file's transcript (stdout and stderr interleaved).
 */
export function runLinux(runner: string, files: readonly string[]): Promise<Map<string, string>> {
  if (files.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', runner, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal) return reject(new Error(`linux-runner died of ${signal}`));
      const text = Buffer.concat(chunks).toString('utf8');
      // One file: no header (the runner prints them for two or more only).
      if (files.length === 1) resolve(new Map([[basename(files[0]!), text]]));
      else resolve(splitTranscripts(text));
      void code;
    });
  });
}
