import { testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli, USAGE, type CliEnv } from '../src/index';
import { TinyKernel } from './fake-kernel';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  kernels: number;
}

async function cli(args: string[], files: Record<string, string | Uint8Array> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let kernels = 0;
  const env: CliEnv = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return typeof text === 'string' ? new TextEncoder().encode(text) : text;
    },
    version: '9.8.7',
    now: () => 1000 * kernels,
    createKernel: () => {
      kernels++;
      return new TinyKernel();
    },
  };
  const status = await runCli(args, env);
  return { status, stdout, stderr, kernels };
}

const files = {
  'dir/ok.scn': 'p1 eq 0 0 => true\n# comment\np1 peek 0x10000 2\n',
  'other/bad-check.scn': 'p1 eq 0 1 => true\np1 eq 0 0\n',
  'err.scn': 'p1 eq 0 0\np1 nonsense\np1 eq 0 0\n',
  'crash.scn': 'p1 eq 0 0\np1 munmap 13 4K\np1 eq 0 0\n',
  '-': 'p1 eq 1 1\n',
  '-dash.scn': 'p1 eq 0 0\n',
  'empty.scn': '',
  'blank.scn': '\n  \n',
  'comments.scn': '# nothing but a comment\n\n',
  'binary.scn': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
  'latin1.scn': new Uint8Array([
    0x70, 0x31, 0x20, 0x70, 0x6f, 0x6b, 0x65, 0x20, 0x30, 0x20, 0x22, 0xe9, 0x22, 0x0a,
  ]),
};

describe('tskern --help and usage errors', () => {
  it('prints the usage on stdout for --help, -h and help', async () => {
    for (const a of ['--help', '-h', 'help']) {
      const r = await cli([a]);
      expect(r).toMatchObject({ status: 0, stdout: USAGE, stderr: '' });
    }
    expect(await cli(['run', '--help'])).toMatchObject({ status: 0, stdout: USAGE });
    expect(USAGE).toMatch(/^usage: tskern run \[--check\] \[--verbose\] FILE\.\.\./);
  });

  it('exits 2 with a message on stderr for usage errors', async () => {
    expect(await cli([])).toMatchObject({ status: 2, stdout: '', stderr: USAGE });
    expect(await cli(['frob'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: "tskern: unknown command frob\nTry 'tskern --help'.\n",
    });
    expect(await cli(['--frob'])).toMatchObject({
      status: 2,
      stderr: "tskern: unknown option --frob\nTry 'tskern --help'.\n",
    });
    expect(await cli(['run'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: "tskern: run: no scenario files given\nTry 'tskern --help'.\n",
    });
    expect(await cli(['run', '--chek', 'dir/ok.scn'], files)).toMatchObject({
      status: 2,
      stdout: '',
      stderr: expect.stringMatching(/unknown option --chek/),
    });
    expect(await cli(['run', '--check'])).toMatchObject({ status: 2 });
  });
});

describe('tskern run', () => {
  it('prints one transcript without header for one file', async () => {
    expect(await cli(['run', 'dir/ok.scn'], files)).toEqual({
      status: 0,
      stdout: '1: true\n3: "\\x00\\x00"\n',
      stderr: '',
      kernels: 1,
    });
  });

  it('prints == NAME headers with several files, a fresh kernel each, and exits with the worst status', async () => {
    const r = await cli(['run', 'dir/ok.scn', 'other/bad-check.scn'], files);
    expect(r).toEqual({
      status: 0,
      stdout: '== ok.scn\n1: true\n3: "\\x00\\x00"\n== bad-check.scn\n1: false\n2: true\n',
      stderr: 'tskern: 2 files, 4 operations, 0 failed, 2.00 s\n',
      kernels: 2,
    });
  });

  it('checks inline expectations with --check (anywhere among the arguments)', async () => {
    expect(await cli(['run', '--check', 'other/bad-check.scn'], files)).toMatchObject({
      status: 1,
      stdout: '1: false\n2: true\n',
      stderr: 'other/bad-check.scn:1: check failed: expected «true», got «false»\n',
    });
    expect((await cli(['run', 'dir/ok.scn', '--check', 'other/bad-check.scn'], files)).status).toBe(
      1,
    );
    expect((await cli(['run', '--check', 'dir/ok.scn'], files)).status).toBe(0);
  });

  it('stops a file at a scenario error (status 2) and goes on with the next', async () => {
    const r = await cli(['run', '--check', 'err.scn', 'other/bad-check.scn'], files);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('== err.scn\n1: true\n== bad-check.scn\n1: false\n2: true\n');
    expect(r.stderr).toBe(
      'err.scn:2: scenario error: unknown operation nonsense\nother/bad-check.scn:1: check failed: expected «true», got «false»\n' +
        'tskern: 2 files, 3 operations, 2 failed (err.scn, other/bad-check.scn), 2.00 s\n',
    );
  });

  it('reports an unreadable file on stderr with status 2 and goes on', async () => {
    const r = await cli(['run', 'missing.scn', 'dir/ok.scn'], files);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('== missing.scn\n== ok.scn\n1: true\n3: "\\x00\\x00"\n');
    expect(r.stderr).toMatch(/^missing.scn: cannot read: ENOENT/);
  });

  it('reports a kernel exception as an internal error with its stack, status 2, and goes on', async () => {
    const r = await cli(['run', 'crash.scn', 'dir/ok.scn'], files);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('== crash.scn\n1: true\n== ok.scn\n1: true\n3: "\\x00\\x00"\n');
    expect(r.stderr).toMatch(
      /^crash.scn:2: internal error: Error: kernel bug on purpose \(a tskern bug; the run of crash.scn stops here\)\n {4}Error: kernel bug on purpose\n {8}at /,
    );
  });

  it('reads - from standard input and takes names after -- as files', async () => {
    expect(await cli(['run', '-'], files)).toMatchObject({ status: 0, stdout: '1: true\n' });
    expect(await cli(['run', '--', '-dash.scn'], files)).toMatchObject({
      status: 0,
      stdout: '1: true\n',
    });
    expect(await cli(['run', '--', '--check'], files)).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^--check: cannot read/),
    });
  });

  it('prints its version for --version and -V', async () => {
    for (const a of ['--version', '-V'])
      expect(await cli([a])).toMatchObject({ status: 0, stdout: 'tskern 9.8.7\n', stderr: '' });
  });

  it('refuses a binary or non-UTF-8 file in one line, without echoing its bytes', async () => {
    for (const [file, why] of [
      ['binary.scn', 'it holds NUL bytes'],
      ['latin1.scn', 'not valid UTF-8'],
    ] as const) {
      const r = await cli(['run', file], files);
      expect(r).toMatchObject({ status: 2, stdout: '', kernels: 0 });
      expect(r.stderr).toBe(`${file}: not a text file (${why}); a scenario is UTF-8 text\n`);
    }
  });

  it('says so when a file is empty or holds no operation', async () => {
    expect(await cli(['run', 'empty.scn'], files)).toMatchObject({
      status: 0,
      stdout: '',
      stderr: 'empty.scn: empty file, nothing to run\n',
    });
    expect(await cli(['run', 'blank.scn'], files)).toMatchObject({
      status: 0,
      stderr: 'blank.scn: empty file, nothing to run\n',
    });
    expect(await cli(['run', 'comments.scn'], files)).toMatchObject({
      status: 0,
      stdout: '',
      stderr: 'comments.scn: no operations (only comments and blank lines)\n',
    });
  });

  it('prints each operation beside its result with --verbose', async () => {
    expect(await cli(['run', '--verbose', 'dir/ok.scn'], files)).toMatchObject({
      status: 0,
      stdout: '1: p1 eq 0 0 => true\n3: p1 peek 65536 2 => "\\x00\\x00"\n',
    });
  });

  it('ends a run of several files with a summary on stderr, and none for one file', async () => {
    const r = await cli(['run', 'dir/ok.scn', '-'], files);
    expect(r.stderr).toBe('tskern: 2 files, 3 operations, 0 failed, 2.00 s\n');
    expect((await cli(['run', 'dir/ok.scn'], files)).stderr).toBe('');
  });
});

// Each of these starts node with tsx, which compiles the CLI's sources: seconds
// on a loaded machine, so they get a deliberate timeout (the spawn's own).
describe('the tskern binary from source', { timeout: testTimeout(120_000) }, () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const tsx = `${root}node_modules/.bin/tsx`;
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const exec = (...args: string[]) =>
    spawnSync(tsx, ['--conditions=@tskern/source', main, ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints the usage on stdout only for --help', () => {
    const r = exec('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(USAGE);
    expect(r.stderr).toBe('');
  });

  it('prints the version of its package.json', () => {
    const r = exec('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^tskern \d+\.\d+\.\d+/);
  });

  it('reads paths relative to the directory pnpm was started in (INIT_CWD) under the tskern script', () => {
    const env = { ...process.env, INIT_CWD: `${root}examples`, npm_lifecycle_event: 'tskern' };
    const r = spawnSync(
      tsx,
      ['--conditions=@tskern/source', main, 'run', '01-shm-two-processes.scn'],
      { cwd: root, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^3: ok\n/);
  });

  it('exits 2 on a usage error with nothing on stdout', () => {
    const r = exec('run');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no scenario files given/);
  });
});
