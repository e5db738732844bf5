import { CAP_FULL_SET, capBit, capFromName } from '@tskern/abi';

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
  /** `--caps`: the permitted and effective sets (and bounding, unless `capBound`); null: uid 0's every capability. */
  readonly caps: bigint | null;
  /** `--cap-bound`: the bounding set; null: as `caps`, else the full set. */
  readonly capBound: bigint | null;
  /** `--cap-drop`: capabilities taken out of every set. */
  readonly capDrop: bigint;
  readonly strace: boolean;
  readonly program: string;
  readonly args: readonly string[];
}

export const EXEC_USAGE = `usage: tskern exec [--env NAME=VALUE]... [--cwd DIR] [--mount HOST:DIR[:ro]]...
                   [--sysroot HOSTDIR] [--uid N] [--gid N] [--caps HEX] [--cap-bound HEX]
                   [--cap-drop CAP[,CAP]...]... [--strace] [--] PROGRAM [ARG...]

Run a riscv64 Linux program on a fresh tskern kernel: a ramfs root with /tmp,
/dev, /dev/shm and /proc; PROGRAM (a host path) appears read-only at the same
absolute path; host directories appear only where --mount puts them.

  --env NAME=VALUE    Add to the environment (it is empty otherwise).
  --cwd DIR           Working directory inside (default /).
  --mount HOST:DIR    Mount the host directory HOST at DIR (":ro": read-only).
                      A regular file HOST is a disk image (ext2, ext3 or
                      ext4) mounted as mount -o loop does: on a free
                      /dev/loopN, detached again at umount.
  --sysroot HOSTDIR   A riscv64 sysroot (e.g. /usr/riscv64-linux-gnu, or a
                      Debian root unpacked with dpkg-deb -x): its lib, lib64,
                      usr/lib, usr/lib64, usr/bin and usr/sbin (and bin and
                      sbin when they are links to those) are mounted
                      read-only at /lib... so a dynamic program finds its
                      loader and libraries, and PATH its programs.
  --uid N, --gid N    The credentials the program runs with (default 0).
  --caps HEX          Permitted and effective capabilities before the program's
                      execve, as /proc/self/status prints CapEff (e.g.
                      000001fffeffffff); also the bounding set unless
                      --cap-bound. Default: uid 0 holds every capability.
  --cap-bound HEX     The bounding set (CapBnd); root's program gets no
                      capability outside it.
  --cap-drop CAPS     Take capabilities out of every set, bounding included,
                      as a container's --cap-drop: names as capsh prints them
                      (cap_sys_resource or sys_resource, any case) or
                      numbers, comma-separated; repeatable.
  --strace            One line per system call on standard error.

Exit status: the program's; 128+N when signal N killed it (one line on
standard error names it); 127 when PROGRAM does not exist, 126 when it
cannot be executed (not executable, not ELF, another machine).
`;

/** A capability set in hex (CapEff's %016llx, optional 0x); bits past CAP_LAST_CAP are dropped, as capset does. */
function capSet(text: string): bigint | null {
  if (!/^(0x)?[0-9a-f]{1,16}$/i.test(text)) return null;
  return BigInt(text.toLowerCase().startsWith('0x') ? text : `0x${text}`) & CAP_FULL_SET;
}

/** --cap-drop's list: every name must be a capability. */
function capNames(text: string): bigint | string {
  let set = 0n;
  for (const name of text.split(',')) {
    const cap = capFromName(name);
    if (cap < 0) return name;
    set |= capBit(cap);
  }
  return set;
}

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
  let caps: bigint | null = null;
  let capBound: bigint | null = null;
  let capDrop = 0n;
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
    } else if (a === '--caps' || a === '--cap-bound') {
      const set = capSet(v);
      if (set === null) return `exec: ${a} ${v}: expected a hexadecimal capability set`;
      if (a === '--caps') caps = set;
      else capBound = set;
    } else if (a === '--cap-drop') {
      const set = capNames(v);
      if (typeof set === 'string') return `exec: --cap-drop: unknown capability ${set}`;
      capDrop |= set;
    } else {
      return `exec: unknown option ${a}`;
    }
  }
  const program = args[i];
  if (program === undefined) return 'exec: no PROGRAM given';
  return { env, cwd, mounts, sysroot, uid, gid, caps, capBound, capDrop, strace, program, args: args.slice(i + 1) };
}

/**
 * The capability sets `tskern exec` starts the program's process with, or
 * undefined for the defaults: --caps gives the permitted and effective
 * sets (and the bounding set), --cap-bound the bounding set, and
 * --cap-drop takes capabilities out of all five.
 */
export function execCapabilities(options: ExecOptions): { permitted?: bigint; effective?: bigint; bounding: bigint; inheritable: bigint; ambient: bigint } | undefined {
  if (options.caps === null && options.capBound === null && options.capDrop === 0n) return undefined;
  const keep = ~options.capDrop;
  const bounding = (options.capBound ?? options.caps ?? CAP_FULL_SET) & keep;
  const sets = { bounding, inheritable: 0n, ambient: 0n };
  if (options.caps !== null) return { ...sets, permitted: options.caps & keep, effective: options.caps & keep };
  // Without --caps the uid decides (everything for 0, nothing otherwise), less what is dropped.
  const base = options.uid === 0 ? CAP_FULL_SET & keep : 0n;
  return { ...sets, permitted: base, effective: base };
}
