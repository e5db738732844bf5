import { testTimeout } from '@tskern/vitest-config/budget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_GAPS_HEADER,
  diffLines,
  findScenarios,
  firstDifference,
  formatDifference,
  InProcessExecutor,
  parseGaps,
  parseOptions,
  runSuite,
  updatedGapsText,
  WorkerExecutor,
  type Executor,
  type SuiteOptions,
} from '../src/index';
import { createKernel } from './fake-kernel';

const FIXTURES = fileURLToPath(new URL('./fixtures/scenarios', import.meta.url));

let dir: string;
let scenariosDir: string;
let gapsFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-test-'));
  scenariosDir = join(dir, 'scenarios');
  gapsFile = join(dir, 'known-gaps.txt');
  cpSync(FIXTURES, scenariosDir, { recursive: true });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A scenario's time limit in these tests: far above what a fake kernel needs,
// so that a loaded machine (a cold worker, JIT) never looks like a hang. Only
// the hang test uses a short one, and only its hanging scenario reaches it.
const SCENARIO_MS = 30_000;

async function suite(options: Partial<SuiteOptions> = {}, executor: Executor = new InProcessExecutor(createKernel, { timeoutMs: SCENARIO_MS })) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runSuite({ scenariosDir, gapsFile, ...options }, executor, {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
  });
  return { status, stdout, stderr };
}

const DIFFERING = ['a/differs.scn', 'b/crash.scn', 'c/short.scn'];

describe('runSuite', () => {
  it('prints a verdict per scenario and the summary, and fails on differences not in known-gaps.txt', async () => {
    const r = await suite();
    const lines = r.stdout.filter((l) => !l.startsWith('    '));
    expect(lines).toEqual([
      'differs    a/differs.scn: line 2: expected «2: false», got «2: true»',
      'identical  a/same.scn',
      'differs    b/crash.scn: line 2: tskern threw at scenario line 2: TypeError: fake kernel bug (a kernel bug)',
      'identical  c/scenario-error.scn',
      'differs    c/short.scn: line 2: expected «2: ok», got end of transcript',
      '2/5 scenarios identical to Linux',
    ]);
    // the stack trace of the kernel's exception follows its line
    const crash = r.stdout.indexOf(lines[2]!);
    expect(r.stdout[crash + 1]).toBe('    TypeError: fake kernel bug');
    expect(r.stdout[crash + 2]).toMatch(/^ {8}at .*fake-kernel/);
    expect(r.status).toBe(1);
    expect(r.stderr).toEqual([
      'warning: b/no-golden.scn has no golden transcript (b/no-golden.golden); skipped',
      'conformance: 3 scenario(s) differ from Linux and are not in known-gaps.txt:',
      '  a/differs.scn',
      '  b/crash.scn',
      '  c/short.scn',
      expect.stringMatching(/^hint: fix tskern/),
    ]);
  });

  it('passes when every difference is a known gap', async () => {
    writeFileSync(gapsFile, '# gaps\n\na/differs.scn   # mremap\nb/crash.scn\n  c/short.scn  \n');
    const r = await suite();
    expect(r.status).toBe(0);
    expect(r.stderr).toEqual(['warning: b/no-golden.scn has no golden transcript (b/no-golden.golden); skipped']);
  });

  it('fails when a listed scenario is now identical, so the list only shrinks', async () => {
    writeFileSync(gapsFile, [...DIFFERING, 'a/same.scn'].join('\n') + '\n');
    const r = await suite();
    expect(r.status).toBe(1);
    expect(r.stderr.slice(1)).toEqual([
      'conformance: 1 scenario(s) in known-gaps.txt are now identical to Linux:',
      '  a/same.scn',
      'hint: remove them from tooling/conformance/known-gaps.txt (or run pnpm conformance --update-gaps)',
    ]);
  });

  it('warns about listed paths that are not scenarios with a golden', async () => {
    writeFileSync(gapsFile, [...DIFFERING, 'gone/old.scn', 'b/no-golden.scn'].join('\n') + '\n');
    const r = await suite();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: known-gaps.txt lists gone/old.scn, which is not a scenario with a golden transcript');
    expect(r.stderr).toContain('warning: known-gaps.txt lists b/no-golden.scn, which is not a scenario with a golden transcript');
  });

  it('runs only the scenarios matching --filter, and judges only their gaps', async () => {
    writeFileSync(gapsFile, 'b/crash.scn\n');
    const r = await suite({ filter: 'a/' });
    expect(r.stdout).toEqual([
      'differs    a/differs.scn: line 2: expected «2: false», got «2: true»',
      'identical  a/same.scn',
      '1/2 scenarios identical to Linux',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toEqual([
      'conformance: 1 scenario(s) differ from Linux and are not in known-gaps.txt:',
      '  a/differs.scn',
      expect.stringMatching(/^hint:/),
    ]);
  });

  it('prints full diffs and the scenario errors with --verbose', async () => {
    const r = await suite({ filter: 'a/differs', verbose: true });
    expect(r.stdout).toEqual([
      'differs    a/differs.scn: line 2: expected «2: false», got «2: true»',
      '      1: true',
      '    - 2: false',
      '    + 2: true',
      '      4: true',
      '0/1 scenarios identical to Linux',
    ]);
    const e = await suite({ filter: 'c/short', verbose: true });
    expect(e.stdout).toEqual([
      'differs    c/short.scn: line 2: expected «2: ok», got end of transcript',
      '      1: true',
      '    - 2: ok',
      '0/1 scenarios identical to Linux',
    ]);
  });

  it('rewrites known-gaps.txt to the differing set with --update-gaps, keeping its header and comments', async () => {
    writeFileSync(gapsFile, '# my header\n# two lines\n\na/same.scn\nb/crash.scn   # a kernel bug\n');
    const r = await suite({ updateGaps: true });
    expect(r.status).toBe(0);
    expect(r.stdout.at(-1)).toBe('known-gaps.txt: 3 differing scenario(s) listed (2 added, 1 removed)');
    expect(readFileSync(gapsFile, 'utf8')).toBe('# my header\n# two lines\n\na/differs.scn\nb/crash.scn   # a kernel bug\nc/short.scn\n');
    expect((await suite()).status).toBe(0);
  });

  it('creates known-gaps.txt with a default header, and keeps entries outside --filter', async () => {
    await suite({ updateGaps: true, filter: 'c/' });
    expect(readFileSync(gapsFile, 'utf8')).toBe([...DEFAULT_GAPS_HEADER, '', 'c/short.scn'].join('\n') + '\n');
    writeFileSync(gapsFile, 'zzz/other.scn\nc/scenario-error.scn\n');
    await suite({ updateGaps: true, filter: 'c/' });
    expect(parseGaps(readFileSync(gapsFile, 'utf8')).paths).toEqual(new Set(['c/short.scn', 'zzz/other.scn']));
  });

  it('stops with status 2 when the scenarios cannot run at all', async () => {
    const fatal: Executor = {
      run: () => Promise.resolve({ kind: 'fatal', message: 'Error: the runner cannot start' }),
      close: () => Promise.resolve(),
    };
    const r = await suite({}, fatal);
    expect(r.status).toBe(2);
    expect(r.stderr.at(-1)).toMatch(/^conformance: cannot run the scenarios: Error: the runner cannot start/);
  });

  it('reports a kernel that throws in createKernel as a difference', async () => {
    const throwing = (): never => {
      throw new Error('no frames');
    };
    const r = await suite({ filter: 'a/same' }, new InProcessExecutor(throwing, { timeoutMs: SCENARIO_MS }));
    expect(r.stdout[0]).toBe('differs    a/same.scn: line 1: tskern threw before the first line: createKernel threw Error: no frames (a kernel bug)');
    expect(r.status).toBe(1);
  });

  it('passes with an empty or missing scenarios directory', async () => {
    rmSync(scenariosDir, { recursive: true });
    const r = await suite();
    expect(r).toEqual({ status: 0, stdout: ['0/0 scenarios identical to Linux'], stderr: [] });
  });
});

describe('WorkerExecutor', () => {
  const kernelModule = new URL('./fake-kernel.ts', import.meta.url).href;

  it('gives the same verdicts as the in-process executor', async () => {
    const inProcess = await suite();
    const inWorker = await suite({}, new WorkerExecutor({ kernelModule, timeoutMs: SCENARIO_MS }));
    // (stack traces differ in their frames)
    const verdicts = (r: typeof inProcess) => ({ ...r, stdout: r.stdout.filter((l) => !l.startsWith('        at ')) });
    expect(verdicts(inWorker)).toEqual(verdicts(inProcess));
  }, testTimeout(90_000));

  it('stops a hung kernel at the timeout and goes on with a new worker', async () => {
    writeFileSync(join(scenariosDir, 'a/hang.scn'), 'p1 eq 0 0\np1 peek 14 1\n');
    writeFileSync(join(scenariosDir, 'a/hang.golden'), '1: true\n2: "\\x00"\n');
    const r = await suite({ filter: 'a/' }, new WorkerExecutor({ kernelModule, timeoutMs: 10_000, graceMs: 500 }));
    expect(r.stdout).toEqual([
      'differs    a/differs.scn: line 2: expected «2: false», got «2: true»',
      'differs    a/hang.scn: line 1: timed out after 10000 ms',
      'identical  a/same.scn',
      '1/3 scenarios identical to Linux',
    ]);
  }, testTimeout(90_000));

  it('stops the suite when the kernel module does not load', async () => {
    const broken = new URL('./broken-kernel.ts', import.meta.url).href;
    const r = await suite({}, new WorkerExecutor({ kernelModule: broken, timeoutMs: SCENARIO_MS }));
    expect(r.status).toBe(2);
    expect(r.stderr.at(-1)).toMatch(/^conformance: cannot run the scenarios: cannot load the kernel .*exports no createKernel/);
  }, testTimeout(90_000));
});

describe('pieces', () => {
  it('finds .scn files recursively with their goldens, sorted', () => {
    expect(findScenarios(scenariosDir).map((s) => [s.rel, s.golden !== undefined])).toEqual([
      ['a/differs.scn', true],
      ['a/same.scn', true],
      ['b/crash.scn', true],
      ['b/no-golden.scn', false],
      ['c/scenario-error.scn', true],
      ['c/short.scn', true],
    ]);
  });

  it('finds the first differing transcript line', () => {
    expect(firstDifference('1: ok\n2: ok\n', '1: ok\n2: ok')).toBeUndefined();
    expect(firstDifference('1: ok\n', '1: ok\n2: ok\n')).toEqual({ line: 2, expected: undefined, got: '2: ok' });
    expect(formatDifference({ line: 2, expected: undefined, got: '2: ok' })).toBe('line 2: expected end of transcript, got «2: ok»');
    expect(formatDifference({ line: 1, expected: '1: ', got: '1: x' })).toBe('line 1: expected «1: », got «1: x»');
  });

  it('diffs transcripts with context', () => {
    const golden = Array.from({ length: 20 }, (_, i) => `${i + 1}: ok`).join('\n');
    const actual = golden.replace('10: ok', '10: -EINVAL');
    expect(diffLines(golden, actual, 1)).toEqual(['  ...', '  9: ok', '- 10: ok', '+ 10: -EINVAL', '  11: ok', '  ...']);
  });

  it('reads known-gaps.txt: paths, comments, header', () => {
    const g = parseGaps('# head\n#  more\n\n# section\na.scn # why\n\n  b/c.scn\n# trailing\n');
    expect(g.paths).toEqual(new Set(['a.scn', 'b/c.scn']));
    expect(g.header).toEqual(['# head', '#  more']);
    expect(g.lines.get('a.scn')).toBe('a.scn # why');
    expect(updatedGapsText(g, ['z.scn', 'a.scn'], () => true)).toBe('# head\n#  more\n\na.scn # why\nz.scn\n');
  });

  it('parses the command line', () => {
    expect(parseOptions([])).toEqual({ updateGaps: false, verbose: false, kernel: 'default', timeoutMs: 10000, inProcess: false, help: false });
    expect(parseOptions(['--filter', 'shm/', '-v', '--update-gaps', '--scratch', 'hostfs', '--timeout=500', '--in-process'])).toEqual({
      filter: 'shm/',
      scratch: 'hostfs',
      updateGaps: true,
      verbose: true,
      kernel: 'default',
      timeoutMs: 500,
      inProcess: true,
      help: false,
    });
    expect(parseOptions(['--filter=x'])).toMatchObject({ filter: 'x' });
    expect(parseOptions(['--kernel', 'chunked'])).toMatchObject({ kernel: 'chunked' });
    expect(parseOptions(['--kernel', 'other'])).toMatch(/--kernel takes default or chunked/);
    expect(parseOptions(['--help'])).toMatchObject({ help: true });
    expect(parseOptions(['--filter'])).toBe('--filter needs a substring');
    expect(parseOptions(['--scratch', 'nfs'])).toMatch(/--scratch takes hostfs/);
    expect(parseOptions(['--timeout', '0'])).toMatch(/--timeout takes a positive number/);
    expect(parseOptions(['--verbose=1'])).toBe('--verbose takes no value');
    expect(parseOptions(['extra'])).toBe('unknown argument extra');
  });
});
