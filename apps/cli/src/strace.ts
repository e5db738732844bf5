import { CLONE, MAP, O, PROT, errnoName, syscallNameRiscv64 } from '@tskern/abi';
import { SIGINFO_SIZE, decodeSiginfo, type SigInfo } from '@tskern/signal';
import type { CpuExit } from '@tskern/rv64';
import type { SyscallTracer } from '@tskern/runtime';
import { SYSCALLS } from '@tskern/syscall';
import type { Task } from '@tskern/tasks';
import { strerror } from './strerror';

/** strace's default string limit (-s 32). */
const STRING_LIMIT = 32;
const AT_FDCWD = -100;
const MAX_ERRNO = 4095;

/** Arguments strace shows as strings, by syscall: their positions. */
const PATH_ARGS: Record<string, readonly number[]> = {
  openat: [1], execve: [0], faccessat: [1], faccessat2: [1], newfstatat: [1], readlinkat: [1], mkdirat: [1], unlinkat: [1],
  chdir: [0], statx: [1], renameat2: [1, 3], renameat: [1, 3], symlinkat: [0, 2], linkat: [1, 3], truncate: [0], statfs: [0],
  mknodat: [1], fchmodat: [1], fchownat: [1], utimensat: [1], chroot: [0], getxattr: [0], lgetxattr: [0],
};
/** Calls with a dirfd first argument (AT_FDCWD spelt out). */
const DIRFD_CALLS = new Set(['openat', 'faccessat', 'faccessat2', 'newfstatat', 'readlinkat', 'mkdirat', 'unlinkat', 'statx',
  'renameat2', 'renameat', 'linkat', 'mknodat', 'fchmodat', 'fchownat', 'utimensat']);
/** Address arguments the syscall tables declare as numbers: strace prints them as pointers. */
const ADDRESS_ARGS: Record<string, readonly number[]> = {
  brk: [0], mmap: [0], munmap: [0], mprotect: [0], mremap: [0, 4], madvise: [0], msync: [0], mlock: [0], mlock2: [0], munlock: [0],
  mincore: [0],
};
/** Signal-number arguments (SIGUSR1 rather than 10). */
const SIGNAL_ARGS: Record<string, number> = { rt_sigaction: 0, kill: 1, tgkill: 2, tkill: 1 };
/** *at() flag arguments: AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EMPTY_PATH... */
const AT_FLAG_ARGS: Record<string, number> = { newfstatat: 3, statx: 2, faccessat2: 3, unlinkat: 2, fchmodat: 3, fchownat: 4, linkat: 4, utimensat: 3 };
const AT_FLAGS: Record<string, number> = {
  AT_SYMLINK_NOFOLLOW: 0x100, AT_REMOVEDIR: 0x200, AT_SYMLINK_FOLLOW: 0x400, AT_NO_AUTOMOUNT: 0x800, AT_EMPTY_PATH: 0x1000,
};
/** Calls whose result is an address (printed in hex). */
const ADDRESS_RESULTS = new Set(['mmap', 'brk', 'mremap', 'shmat']);

function flagNames(value: number, table: Record<string, number>, zero: string): string {
  const names: string[] = [];
  let rest = value;
  for (const [name, bit] of Object.entries(table)) {
    if (bit !== 0 && (bit & (bit - 1)) === 0 && (rest & bit) !== 0) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names.length === 0 ? zero : names.join('|');
}

const OPEN_BITS: Record<string, number> = Object.fromEntries(
  Object.entries(O).filter(([n]) => !['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE', 'O_NDELAY', 'O_SYNC', 'O_RSYNC', 'O_TMPFILE'].includes(n)),
);

/** open's flags as strace prints them: the access mode, then each flag. */
export function openFlags(flags: number): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', '0x3'][flags & 3]!;
  const rest = flags & ~3;
  return rest === 0 ? acc : `${acc}|${flagNames(rest, OPEN_BITS, '')}`;
}

function protNames(prot: number): string {
  return flagNames(prot, { PROT_READ: PROT.PROT_READ, PROT_WRITE: PROT.PROT_WRITE, PROT_EXEC: PROT.PROT_EXEC, PROT_SEM: PROT.PROT_SEM,
    PROT_GROWSDOWN: PROT.PROT_GROWSDOWN, PROT_GROWSUP: PROT.PROT_GROWSUP }, 'PROT_NONE');
}

function mapNames(flags: number): string {
  const type = ['0', 'MAP_SHARED', 'MAP_PRIVATE', 'MAP_SHARED_VALIDATE'][flags & 0xf] ?? `0x${(flags & 0xf).toString(16)}`;
  const bits: Record<string, number> = Object.fromEntries(Object.entries(MAP).filter(([n, v]) => v > 0xf && n !== 'MAP_ANON'));
  const rest = flags & ~0xf;
  return rest === 0 ? type : `${type}|${flagNames(rest, bits, '')}`;
}

/** A C string literal as strace quotes it (escapes, non-printables in octal), cut at `limit` with `...`. */
export function quote(bytes: Uint8Array, limit = STRING_LIMIT, cut = bytes.length > limit): string {
  let s = '"';
  for (const b of bytes.subarray(0, limit)) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x0c) s += '\\f';
    else if (b === 0x0b) s += '\\v';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8)}`;
  }
  return `${s}"${cut ? '...' : ''}`;
}

/**
 * A register value in hex as strace prints it: a negative number is the
 * 64-bit two's complement (-1 is 0xffffffffffffffff, never 0x-1).
 */
export function hex64(value: number): string {
  const v = value < 0 && Number.isInteger(value) ? BigInt.asUintN(64, BigInt(value)) : value;
  return `0x${v.toString(16)}`;
}

function pointer(value: number): string {
  return value === 0 ? 'NULL' : hex64(value);
}

function readPointerArray(task: Task, addr: number, max: number): number[] | null {
  const out: number[] = [];
  const word = new Uint8Array(8);
  for (let i = 0; i < max; i++) {
    if (task.mem.copyIn(addr + 8 * i, word, 0, 8) < 0) return null;
    const p = Number(new DataView(word.buffer).getBigUint64(0, true));
    if (p === 0) return out;
    out.push(p);
  }
  return out;
}

function pathArg(task: Task, addr: number): string {
  const s = task.mem.readString(addr, 4096);
  return typeof s === 'number' ? pointer(addr) : quote(s, 4096);
}

function bufferArg(task: Task, addr: number, length: number): string {
  const n = Math.max(0, Math.min(length, STRING_LIMIT));
  const bytes = new Uint8Array(n);
  if (task.mem.copyIn(addr, bytes, 0, n) < 0) return pointer(addr);
  return quote(bytes, STRING_LIMIT, length > STRING_LIMIT);
}

interface Pending {
  readonly task: Task;
  readonly pid: number;
  readonly name: string;
  readonly args: readonly number[];
  /** Arguments decoded at entry (null: decode at exit, as for read's buffer). */
  readonly text: string[];
}

/** One line per system call on `write`, as `strace -f` prints them; `[pid N] ` once several tasks have run. */
export class Strace implements SyscallTracer {
  private readonly seen = new Set<number>();

  constructor(private readonly write: (line: string) => void) {}

  enter(task: Task, nr: number, args: readonly number[]): unknown {
    const name = syscallNameRiscv64(nr);
    this.seen.add(task.tid);
    const def = SYSCALLS[name];
    const count = def?.args.length ?? 6;
    const text: string[] = [];
    const paths = PATH_ARGS[name] ?? [];
    for (let i = 0; i < count; i++) {
      const v = args[i]!;
      const kind = def?.args[i];
      if (paths.includes(i)) text.push(pathArg(task, v));
      else if (i === 0 && DIRFD_CALLS.has(name) && (v | 0) === AT_FDCWD) text.push('AT_FDCWD');
      else if (kind === 'ptr') text.push(pointer(v));
      else if (kind === 'int') text.push(String(v | 0));
      else text.push(String(v));
    }
    for (const i of ADDRESS_ARGS[name] ?? []) text[i] = pointer(args[i]!);
    const sigArg = SIGNAL_ARGS[name];
    if (sigArg !== undefined) text[sigArg] = signalName(args[sigArg]! | 0);
    const atArg = AT_FLAG_ARGS[name];
    if (atArg !== undefined && text[atArg] !== undefined) text[atArg] = flagNames(args[atArg]!, AT_FLAGS, '0');
    if (name === 'write') text[1] = bufferArg(task, args[1]!, args[2]!);
    if (name === 'openat') {
      text[2] = openFlags(args[2]!);
      if ((args[2]! & (O.O_CREAT | 0o20000000)) !== 0) text[3] = `0${(args[3]! & 0o7777).toString(8)}`;
      else text.length = 3;
    }
    if (name === 'mmap' || name === 'mprotect') text[2] = protNames(args[2]!);
    if (name === 'mmap') {
      text[3] = mapNames(args[3]!);
      text[4] = String(args[4]! | 0);
      text[5] = args[5] === 0 ? '0' : hex64(args[5]!);
    }
    if (name === 'clone') text.splice(0, text.length, ...cloneArgs(args));
    if (name === 'execve') {
      const argv = readPointerArray(task, args[1]!, 1024);
      text[1] = argv === null ? pointer(args[1]!) : `[${argv.map((p) => pathArg(task, p)).join(', ')}]`;
      const envp = readPointerArray(task, args[2]!, 65536);
      text[2] = envp === null ? pointer(args[2]!) : `${pointer(args[2]!)} /* ${envp.length} vars */`;
    }
    return { task, pid: task.tid, name, args, text } satisfies Pending;
  }

  exit(token: unknown, exact: number | bigint): void {
    const p = token as Pending;
    // Only lseek answers beyond 2^53 (an exact bigint); strace prints it in decimal either way.
    const result = Number(exact);
    if (p.name === 'read' && result >= 0) p.text[1] = bufferArg(p.task, p.args[1]!, result);
    const call = `${p.name}(${p.text.join(', ')})`;
    const prefix = this.seen.size > 1 ? `[pid ${p.pid}] ` : '';
    if (p.name === 'exit' || p.name === 'exit_group') {
      this.write(`${prefix}${call} = ?\n`);
      return;
    }
    this.write(`${prefix}${call} = ${typeof exact === 'bigint' ? exact.toString() : formatResult(p.name, result)}\n`);
  }

  trap(task: Task, sig: number, exit: CpuExit): void {
    const prefix = this.seen.size > 1 ? `[pid ${task.tid}] ` : '';
    const name = signalName(sig);
    if (exit.kind === 'fault') {
      const code = sig === 7 ? (exit.fault === 'adraln' ? 'BUS_ADRALN' : 'BUS_ADRERR') : exit.fault === 'maperr' ? 'SEGV_MAPERR' : 'SEGV_ACCERR';
      this.write(`${prefix}--- ${name} {si_signo=${name}, si_code=${code}, si_addr=${pointer(exit.address)}} ---\n`);
    } else {
      const code = exit.kind === 'ebreak' ? 'TRAP_BRKPT' : 'ILL_ILLOPC';
      this.write(`${prefix}--- ${name} {si_signo=${name}, si_code=${code}, si_addr=${pointer(exit.pc)}} ---\n`);
    }
  }

  signal(task: Task, sig: number, siginfoAddr: number): void {
    const prefix = this.seen.size > 1 ? `[pid ${task.tid}] ` : '';
    const bytes = new Uint8Array(SIGINFO_SIZE);
    const name = signalName(sig);
    if (task.mem.copyIn(siginfoAddr, bytes, 0, bytes.length) < 0) {
      this.write(`${prefix}--- ${name} ---\n`);
      return;
    }
    this.write(`${prefix}--- ${name} {${siginfoFields(decodeSiginfo(bytes))}} ---\n`);
  }

  /** The last line for the traced process: `+++ exited with N +++` or `+++ killed by SIG (core dumped) +++` (`dumped` is that suffix or ''). */
  finish(pid: number, status: number, signal: number, dumped = ''): void {
    const prefix = this.seen.size > 1 ? `[pid ${pid}] ` : '';
    this.write(signal !== 0 ? `${prefix}+++ killed by ${signalName(signal)}${dumped} +++\n` : `${prefix}+++ exited with ${status} +++\n`);
  }
}

/** clone's arguments as strace names them (riscv64 order: flags, stack, parent_tid, tls, child_tid). */
function cloneArgs(args: readonly number[]): string[] {
  const flags = args[0]!;
  const bits: Record<string, number> = Object.fromEntries(Object.entries(CLONE).filter(([n]) => n !== 'CSIGNAL'));
  const sig = flags & CLONE.CSIGNAL;
  const named = flagNames(flags & ~CLONE.CSIGNAL, bits, '');
  const flagText = [named, sig !== 0 ? signalName(sig) : ''].filter((t) => t !== '').join('|') || '0';
  const out = [`child_stack=${pointer(args[1]!)}`, `flags=${flagText}`];
  if ((flags & (CLONE.CLONE_PARENT_SETTID | CLONE.CLONE_PIDFD)) !== 0) out.push(`parent_tid=${pointer(args[2]!)}`);
  if ((flags & CLONE.CLONE_SETTLS) !== 0) out.push(`tls=${pointer(args[3]!)}`);
  if ((flags & (CLONE.CLONE_CHILD_SETTID | CLONE.CLONE_CHILD_CLEARTID)) !== 0) out.push(`child_tidptr=${pointer(args[4]!)}`);
  return out;
}

const SI_CODES: Record<number, string> = {
  0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-2]: 'SI_TIMER', [-3]: 'SI_MESGQ', [-4]: 'SI_ASYNCIO', [-5]: 'SI_SIGIO',
  [-6]: 'SI_TKILL',
};
const CLD_CODES = ['', 'CLD_EXITED', 'CLD_KILLED', 'CLD_DUMPED', 'CLD_TRAPPED', 'CLD_STOPPED', 'CLD_CONTINUED'];
const FAULT_CODES: Record<number, readonly string[]> = {
  11: ['', 'SEGV_MAPERR', 'SEGV_ACCERR'], 7: ['', 'BUS_ADRALN', 'BUS_ADRERR', 'BUS_OBJERR'], 4: ['', 'ILL_ILLOPC'],
  5: ['', 'TRAP_BRKPT', 'TRAP_TRACE'], 8: ['', 'FPE_INTDIV'],
};

/** The fields of a siginfo as strace prints them inside `{...}`. */
function siginfoFields(info: SigInfo): string {
  const name = signalName(info.signo);
  const code = SI_CODES[info.code]
    ?? (info.kind === 'child' ? CLD_CODES[info.code] : info.kind === 'fault' ? FAULT_CODES[info.signo]?.[info.code] : undefined)
    ?? String(info.code);
  const head = `si_signo=${name}, si_code=${code}`;
  switch (info.kind) {
    case 'kill':
      return info.code === 0x80 ? head : `${head}, si_pid=${info.pid}, si_uid=${info.uid}`;
    case 'rt':
      // strace shows the value only of a queued signal (SI_QUEUE, SI_MESGQ).
      return info.code === -1 || info.code === -3
        ? `${head}, si_pid=${info.pid}, si_uid=${info.uid}, si_int=${info.value}, si_ptr=${pointer(info.value)}`
        : `${head}, si_pid=${info.pid}, si_uid=${info.uid}`;
    case 'child': {
      const status = info.code === 1 ? String(info.status) : signalName(info.status);
      return `${head}, si_pid=${info.pid}, si_uid=${info.uid}, si_status=${status}, si_utime=${info.utime}, si_stime=${info.stime}`;
    }
    case 'fault':
      return `${head}, si_addr=${pointer(info.addr)}`;
    case 'timer':
      return `${head}, si_timerid=${info.timerId}, si_overrun=${info.overrun}, si_int=${info.value}, si_ptr=${pointer(info.value)}`;
    default:
      return head;
  }
}

function formatResult(name: string, result: number): string {
  if (result < 0 && result >= -MAX_ERRNO) return `-1 ${errnoName(-result)} (${strerror(-result)})`;
  return ADDRESS_RESULTS.has(name) ? hex64(result) : String(result);
}

const SIGNAL_NAMES = ['', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS'];

/** A signal's name (SIGSEGV), real-time ones as SIGRT_N. */
export function signalName(sig: number): string {
  return SIGNAL_NAMES[sig] ?? `SIGRT_${sig - 32}`;
}
