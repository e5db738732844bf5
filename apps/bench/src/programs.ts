/**
 * The program cases' three sides: a riscv64 binary of
 * tooling/programs/bench run on tskern in process (a fresh kernel per run,
 * `startProgram` + `ProgramDriver.run`), the same binary under
 * `qemu-riscv64`, and the same C source built for x86-64 with the host gcc
 * (into the gitignored tooling/programs/bench/build/x86_64 on first use, or
 * when a source is newer), each run as a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { O } from '@tskern/abi';
import { createKernel, type Kernel } from '@tskern/kernel';
import { ProgramDriver, startProgram } from '@tskern/runtime';
import { hostCpuTicks } from '@tskern/runtime/node';

const dir = fileURLToPath(new URL('../../../tooling/programs/bench/', import.meta.url));
const riscvDir = `${dir}bin/riscv64/`;
const nativeDir = `${dir}build/x86_64/`;

/** One run of a program with an iteration count: its time (on the runner's clock) and its stdout. */
export interface ProgramRun {
  readonly ns: number;
  readonly out: string;
}

/** Runs a bench program with `n` iterations; throws when the run fails (a non-zero exit, a signal). */
export type ProgramRunner = (n: number) => ProgramRun;

/**
 * What a run's time is: `wall`, spawn (or `ProgramDriver.run`) to exit on
 * `process.hrtime`; `cpu`, the CPU time (user + system) of the run: for
 * tskern `process.cpuUsage()` of this process around `ProgramDriver.run`
 * (every thread, V8's compiler and GC threads included), for a child its
 * rusage (the child and the descendants it waited for, every thread), as
 * bash's `times` reports it in ms. One case uses one clock on every side.
 */
export type ProgramClock = 'wall' | 'cpu';

/** The three ways to run a bench program (a missing one says why). */
export interface ProgramSides {
  tskern(name: string, clock?: ProgramClock): ProgramRunner;
  qemu: ((name: string, clock?: ProgramClock) => ProgramRunner) | string;
  native: ((name: string, clock?: ProgramClock) => ProgramRunner) | string;
}

const cpuNs = (u: NodeJS.CpuUsage): number => (u.user + u.system) * 1e3;

const decoder = new TextDecoder();
/** The suite's environment (tooling/programs/README.md), minus PROGRAMS_DIR which no bench program uses. */
const ENV = ['PATH=/usr/bin:/bin', 'HOME=/tmp', 'LANG=C'];

function put(kernel: Kernel, path: string, bytes: Uint8Array): void {
  const root = kernel.vfs.kernelTask();
  kernel.vfs.mkdir(root, '/bench', 0o755);
  const file = kernel.vfs.open(root, path, O.O_WRONLY | O.O_CREAT | O.O_TRUNC, 0o755);
  if (typeof file === 'number') throw new Error(`cannot create ${path}: ${file}`);
  file.write(bytes, 0, bytes.length);
  file.decRef();
}

function readOut(kernel: Kernel): string {
  const file = kernel.vfs.open(kernel.vfs.kernelTask(), '/out', O.O_RDONLY, 0);
  if (typeof file === 'number') return '';
  const buf = new Uint8Array(1 << 16);
  const n = file.read(buf, 0, buf.length);
  file.decRef();
  return decoder.decode(buf.subarray(0, Math.max(0, n)));
}

/**
 * tskern: a fresh kernel, the binary written into it and the process
 * started (spawned, its execve prepared) outside the timed part; the timed
 * part is `ProgramDriver.run`, which makes the execve (ELF load), runs the
 * program to its exit and reaps it. That fixed cost is what a 0-iteration
 * run measures and the caller subtracts.
 */
export function tskernRunner(name: string, clock: ProgramClock = 'wall'): ProgramRunner {
  const binary = new Uint8Array(readFileSync(`${riscvDir}${name}`));
  return (n) => {
    const kernel = createKernel();
    const path = `/bench/${name}`;
    put(kernel, path, binary);
    const pid = startProgram(kernel, {
      path,
      argv: [name, String(n)],
      envp: ENV,
      files: [
        { fd: 0, path: '/dev/null', flags: O.O_RDONLY },
        { fd: 1, path: '/out', flags: O.O_WRONLY | O.O_CREAT | O.O_APPEND },
        { fd: 2, path: '/out', flags: O.O_WRONLY | O.O_CREAT | O.O_APPEND },
      ],
    });
    if (pid < 0) throw new Error(`${name}: execve failed (${pid})`);
    // Tick accounting, as the CLI: two clock reads per turn on the CPU, not two per call.
    const driver = new ProgramDriver(kernel, { cpuTicks: hostCpuTicks() });
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = driver.run(pid);
    const wall = Number(process.hrtime.bigint() - t0);
    const ns = clock === 'cpu' ? cpuNs(process.cpuUsage(c0)) : wall;
    const out = readOut(kernel);
    if (result.kind !== 'exited' || result.status !== 0) {
      throw new Error(`${name} ${n} on tskern: ${result.kind === 'exited' ? `exit status ${result.status}` : result.kind}${out ? `: ${out.trim().split('\n').pop()}` : ''}`);
    }
    return { ns, out };
  };
}

/** `times`' children line: user and system time as `XmY.ZZZs`. */
const TIMES = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;

/**
 * A child process, timed from spawn to exit (the caller subtracts a
 * 0-iteration run: process start and exit). On the `cpu` clock it runs
 * under bash, which reports the child's CPU time with `times` on stderr's
 * last line after it exits (bash's own start-up is outside it).
 */
function childRunner(argv0: string, prefix: readonly string[], clock: ProgramClock = 'wall'): ProgramRunner {
  const name = [argv0, ...prefix].join(' ');
  return (n) => {
    const argv = [...prefix, String(n)];
    const t0 = process.hrtime.bigint();
    const r = clock === 'cpu'
      ? spawnSync('bash', ['-c', '"$@"; s=$?; times >&2; exit $s', 'bash', argv0, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { PATH: '/usr/bin:/bin', LANG: 'C' } })
      : spawnSync(argv0, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { PATH: '/usr/bin:/bin', LANG: 'C' } });
    let ns = Number(process.hrtime.bigint() - t0);
    if (r.error !== undefined) throw r.error;
    let stderr = r.stderr;
    if (clock === 'cpu') {
      const lines = stderr.trimEnd().split('\n');
      const m = TIMES.exec(lines.pop() ?? '');
      if (m === null) throw new Error(`${name} ${n}: no CPU time from bash's times`);
      ns = (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1e9;
      stderr = lines.slice(0, -1).join('\n');
    }
    if (r.status !== 0) throw new Error(`${name} ${n}: ${r.signal ?? `exit status ${r.status}`}: ${(r.stdout + stderr).trim().split('\n').pop() ?? ''}`);
    return { ns, out: r.stdout };
  };
}

/** Whether the qemu user-mode emulator runs here. */
function qemuProblem(): string | null {
  try {
    execFileSync('qemu-riscv64', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'qemu-riscv64 not installed (Debian/Ubuntu: apt-get install qemu-user)';
  }
}

/** Build the x86-64 programs when missing or older than a source; the problem when gcc fails. */
function buildNative(log: (text: string) => void): string | null {
  const sources = [`${dir}src`, `${dir}../lib`].flatMap((d) => readdirSync(d).map((f) => `${d}/${f}`));
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  const names = readdirSync(`${dir}src`).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
  const stale = names.some((n) => !existsSync(`${nativeDir}${n}`) || statSync(`${nativeDir}${n}`).mtimeMs < newest);
  if (!stale) return null;
  try {
    log(`building ${nativeDir} (gcc -O2)\n`);
    execFileSync('bash', [`${dir}build.sh`, 'x86_64', nativeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    return null;
  } catch (e) {
    return `native build failed: ${String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim().split('\n')[0]}`;
  }
}

/** The three sides, building the native programs if needed. */
export function programSides(log: (text: string) => void): ProgramSides {
  const qemu = qemuProblem();
  const native = process.platform === 'linux' && process.arch === 'x64' ? buildNative(log) : 'not an x86-64 Linux host';
  return {
    tskern: tskernRunner,
    qemu: qemu ?? ((name, clock) => childRunner('qemu-riscv64', [`${riscvDir}${name}`], clock)),
    native: native ?? ((name, clock) => childRunner(`${nativeDir}${name}`, [], clock)),
  };
}

/** The `checksum X` line of a run's output (the result all three sides must agree on). */
export function checksumOf(out: string): string | null {
  return /^checksum (\S+)$/m.exec(out)?.[1] ?? null;
}

/** The `instret N` line (riscv64 instructions the program's loop retired), or null. */
export function instretOf(out: string): number | null {
  const m = /^instret (\d+)$/m.exec(out);
  return m === null ? null : Number(m[1]);
}
