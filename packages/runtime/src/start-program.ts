import { SYS_RISCV64 } from '@tskern/abi';
import type { Kernel } from '@tskern/kernel';
import type { SpawnOptions } from '@tskern/syscall';
import type { SyscallTracer } from './program-driver';

/** What `startProgram` runs, and as whom. */
export interface ProgramStart {
  /** The program's path inside the kernel (what execve is given). */
  readonly path: string;
  /** argv (default: `[path]`). */
  readonly argv?: readonly string[];
  /** The environment, `NAME=value` strings (default: none). */
  readonly envp?: readonly string[];
  /** Working directory (default `/`). */
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /**
   * The capability sets before the execve (default: every capability for
   * uid 0); the execve recomputes them from these as Linux does, so root's
   * program gets its bounding set.
   */
  readonly caps?: SpawnOptions['caps'];
  /**
   * Files the process has open when it execs (its standard streams): each
   * path opened with `flags` by the new process itself and put at `fd`.
   */
  readonly files?: readonly { readonly fd: number; readonly path: string; readonly flags: number }[];
  /** Sees the initial execve as strace does. */
  readonly tracer?: SyscallTracer;
}

/** The registered image the first process lives in until its execve (a process must exist to exec). */
const LAUNCHER = '/.tskern-launcher';
const encoder = new TextEncoder();

/**
 * Start a riscv64 program as a new process: a process is spawned from a
 * placeholder image and makes a real execve(path, argv, envp), with the
 * strings placed on its stack, so the program starts exactly as one
 * exec'd by another would. Returns the pid, or the execve's -errno (the
 * placeholder process is gone then).
 */
export function startProgram(
  kernel: Pick<Kernel, 'spawn' | 'registerProgram' | 'store' | 'stack' | 'runtime' | 'tasks' | 'vfs'>, start: ProgramStart,
): number {
  kernel.registerProgram(LAUNCHER, {});
  const pid = kernel.spawn(LAUNCHER, {
    arch: 'riscv64', cwd: start.cwd ?? '/', uid: start.uid ?? 0, gid: start.gid ?? 0, ...(start.caps !== undefined ? { caps: start.caps } : {}),
  });
  if (pid < 0) return pid;
  const task = kernel.tasks.get(pid)!;
  for (const f of start.files ?? []) {
    const file = kernel.vfs.open(task, f.path, f.flags, 0o644);
    if (typeof file === 'number') {
      kernel.runtime.syscall(pid, SYS_RISCV64.exit_group, 0);
      return file;
    }
    // The lowest free slot from f.fd: f.fd itself when the files come in order.
    task.files.installAt(task.files.allocFd(f.fd), file, false);
  }
  const strings = [start.path, ...(start.argv ?? [start.path]), ...(start.envp ?? [])];
  const argc = (start.argv ?? [start.path]).length;
  const encoded = strings.map((s) => encoder.encode(`${s}\0`));
  const size = encoded.reduce((n, s) => n + s.length, 0) + (strings.length + 2) * 8;
  const top = kernel.stack(pid).end;
  const base = Math.floor((top - size - 64) / 16) * 16;
  const bytes = new Uint8Array(top - base);
  const view = new DataView(bytes.buffer);
  const pointerBytes = (strings.length + 2) * 8;
  let at = pointerBytes;
  const addresses = encoded.map((s) => {
    bytes.set(s, at);
    const a = base + at;
    at += s.length;
    return a;
  });
  // [argv..., NULL, envp..., NULL] after the path's own pointer slot.
  const argvAt = 8;
  addresses.slice(1, 1 + argc).forEach((a, i) => view.setBigUint64(argvAt + i * 8, BigInt(a), true));
  const envpAt = argvAt + (argc + 1) * 8;
  addresses.slice(1 + argc).forEach((a, i) => view.setBigUint64(envpAt + i * 8, BigInt(a), true));
  kernel.store(pid, base, bytes);
  const args = [addresses[0]!, base + argvAt, base + envpAt];
  const token = start.tracer?.enter(task, SYS_RISCV64.execve, args);
  const r = kernel.runtime.syscall(pid, SYS_RISCV64.execve, args[0], args[1], args[2]);
  const result = typeof r === 'number' ? r : 0;
  if (token !== undefined) start.tracer?.exit(token, result);
  if (result < 0) {
    kernel.runtime.syscall(pid, SYS_RISCV64.exit_group, 0);
    kernel.runtime.next();
    return result;
  }
  return pid;
}
