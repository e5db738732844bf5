/** A host directory `tskern exec` mounts inside the kernel. */
export interface HostMount {
  readonly host: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** `tskern exec`'s command line, parsed. */
export interface ExecOptions {
  readonly env: readonly string[];
  readonly cwd: string;
  readonly mounts: readonly HostMount[];
  readonly sysroot: string | null;
  readonly uid: number;
  readonly gid: number;
  readonly strace: boolean;
  readonly program: string;
  readonly args: readonly string[];
}

export const EXEC_USAGE = `usage: tskern exec [--env NAME=VALUE]... [--cwd DIR] [--mount HOSTDIR:DIR[:ro]]...
                   [--sysroot HOSTDIR] [--uid N] [--gid N] [--strace] [--] PROGRAM [ARG...]

Run a riscv64 Linux program on a fresh tskern kernel: a ramfs root with /tmp,
/dev, /dev/shm and /proc; PROGRAM (a host path) appears read-only at the same
absolute path; host directories appear only where --mount puts them.

  --env NAME=VALUE    Add to the environment (it is empty otherwise).
  --cwd DIR           Working directory inside (default /).
  --mount HOST:DIR    Mount the host directory HOST at DIR (":ro": read-only).
  --sysroot HOSTDIR   A riscv64 sysroot (e.g. /usr/riscv64-linux-gnu): its lib,
                      lib64, usr/lib and usr/lib64 are mounted read-only at
                      /lib... so a dynamic program finds its loader.
  --uid N, --gid N    The credentials the program runs with (default 0).
  --strace            One line per system call on standard error.

Exit status: the program's; 128+N when signal N killed it (one line on
standard error names it); 127 when PROGRAM does not exist, 126 when it
cannot be executed (not executable, not ELF, another machine).
`;

function nonNegative(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= 0xffffffff ? n : null;
}

/** Parse the arguments after `exec`; a string is the usage error. */
export function parseExecArgs(args: readonly string[]): ExecOptions | string {
  const env: string[] = [];
  const mounts: HostMount[] = [];
  let cwd = '/';
  let sysroot: string | null = null;
  let uid = 0;
  let gid = 0;
  let strace = false;
  let i = 0;
  const value = (): string | null => {
    const v = args[i + 1];
    if (v === undefined) return null;
    i++;
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--strace') {
      strace = true;
      continue;
    }
    const v = value();
    if (v === null) return `exec: ${a} needs a value`;
    if (a === '--env') {
      if (!v.includes('=')) return `exec: --env ${v}: expected NAME=VALUE`;
      env.push(v);
    } else if (a === '--cwd') {
      if (!v.startsWith('/')) return `exec: --cwd ${v}: an absolute path inside the kernel`;
      cwd = v;
    } else if (a === '--mount') {
      const parts = v.split(':');
      const readOnly = parts.length === 3 && parts[2] === 'ro';
      if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !readOnly) || parts[0] === '' || !parts[1]!.startsWith('/')) {
        return `exec: --mount ${v}: expected HOSTDIR:DIR[:ro] with an absolute DIR`;
      }
      mounts.push({ host: parts[0]!, target: parts[1]!, readOnly });
    } else if (a === '--sysroot') {
      sysroot = v;
    } else if (a === '--uid' || a === '--gid') {
      const n = nonNegative(v);
      if (n === null) return `exec: ${a} ${v}: expected a number`;
      if (a === '--uid') uid = n;
      else gid = n;
    } else {
      return `exec: unknown option ${a}`;
    }
  }
  const program = args[i];
  if (program === undefined) return 'exec: no PROGRAM given';
  return { env, cwd, mounts, sysroot, uid, gid, strace, program, args: args.slice(i + 1) };
}
