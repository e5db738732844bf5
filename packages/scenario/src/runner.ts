/**
 * The scenario runner: plays a `.scn` file on a tskern kernel through the
 * syscall layer only (raw x86-64 syscall numbers and arguments, pointer
 * arguments in the process's own memory), exactly as the Linux runner (a C
 * program) makes the same calls on the host kernel, and prints the
 * transcript of docs/scenario-language.md.
 *
 * Lines are parsed and run one at a time, so a scenario error on line N is
 * reported after lines 1..N-1 have printed their results.
 */
import { Errno, O, PAGE_SIZE, SYS, STAT, Signal, signalName } from '@tskern/abi';
import type { KernelHost } from '@tskern/syscall';
import { ScenarioCrash, ScenarioError, ScenarioTimeout } from './errors';
import type { Address } from './lexer';
import { describeMaps } from './maps';
import { parseLine, splitLines, type Op, type OpOf, type ParsedLine } from './ops';
import { fnv1a32, formatErrno, formatFnv, quoteBytes, transcriptLine } from './quote';
import { shmPath } from './shm-name';

/** The program every scenario process runs (registered by the runner). */
export const SCENARIO_PROGRAM = '/bin/scenario';

/** The uid and gid of the scenario's processes (an unprivileged user). */
export const SCENARIO_UID = 1000;
export const SCENARIO_GID = 1000;

/** The kernel a scenario runs on: only its syscall layer and CPU accesses (`maps` reads procfs). */
export type ScenarioKernel = KernelHost;

/** Where a `hostfs` scratch directory is made: the kernel must mount a hostfs there. */
export const HOSTFS_SCRATCH_PARENT = '/host';

/** Where the scratch directory lives: the kernel's own root file system, or a hostfs mount. */
export type ScratchKind = 'default' | 'hostfs';

/** 0: ran to the end; 1: an inline expectation did not match (under `check`); 2: scenario error. */
export type ScenarioStatus = 0 | 1 | 2;

export interface RunOptions {
  readonly kernel: ScenarioKernel;
  /** Used in crash messages only. */
  readonly fileName?: string;
  /** Compare results with inline expectations (`tskern run --check`). */
  readonly check?: boolean;
  /**
   * `hostfs`: make the scratch directory under `HOSTFS_SCRATCH_PARENT`
   * (`/host`), where the kernel must have a hostfs mounted, so that the
   * scenario's files are real host files.
   */
  readonly scratch?: ScratchKind;
  /** A `Date.now()` value after which the run stops with ScenarioTimeout (checked before each line). */
  readonly deadline?: number;
}

/** Where the streaming runner sends its output, one line at a time, without newline. */
export interface ScenarioSink {
  /** A transcript line (`LINE: RESULT`): standard output. */
  transcript(line: string): void;
  /** A scenario error or a `--check` mismatch: standard error. */
  diagnostic(line: string): void;
}

export interface RunResult {
  /** The transcript, one `LINE: RESULT\n` per operation. */
  readonly transcript: string;
  readonly status: ScenarioStatus;
  /** Scenario errors and mismatch details, one per line. */
  readonly stderr: string;
}

/**
 * Run a scenario and collect its output. Throws ScenarioCrash when the kernel
 * throws (a tskern bug) and ScenarioTimeout past the deadline; both carry the
 * transcript printed so far.
 */
export function runScenario(text: string, options: RunOptions): RunResult {
  const out: string[] = [];
  const err: string[] = [];
  let status: ScenarioStatus;
  try {
    status = runScenarioStreaming(text, options, { transcript: (l) => out.push(l), diagnostic: (l) => err.push(l) });
  } catch (e) {
    if (e instanceof ScenarioCrash || e instanceof ScenarioTimeout) e.transcript = joinLines(out);
    throw e;
  }
  return { transcript: joinLines(out), status, stderr: joinLines(err) };
}

function joinLines(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

/** Run a scenario, handing each output line to `sink` as soon as it exists. Returns the status. */
export function runScenarioStreaming(text: string, options: RunOptions, sink: ScenarioSink): ScenarioStatus {
  const lines = splitLines(text);
  let run: ScenarioRun;
  try {
    run = new ScenarioRun(options.kernel, options.scratch === 'hostfs' ? HOSTFS_SCRATCH_PARENT : '');
  } catch (e) {
    throw new ScenarioCrash(0, e, options.fileName);
  }
  let status: ScenarioStatus = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    if (options.deadline !== undefined && Date.now() > options.deadline) throw new ScenarioTimeout(lineNo);
    let parsed: ParsedLine | null;
    let result: string;
    try {
      parsed = parseLine(lines[i]!, lineNo);
      if (!parsed) continue;
      result = run.execute(parsed);
    } catch (e) {
      if (e instanceof ScenarioError) {
        sink.diagnostic(e.message);
        return 2;
      }
      throw new ScenarioCrash(lineNo, e, options.fileName);
    }
    sink.transcript(transcriptLine(lineNo, result));
    if (options.check && parsed.expect !== undefined && parsed.expect !== result) {
      status = 1;
      sink.diagnostic(`${lineNo}: check failed: expected «${parsed.expect}», got «${result}»`);
    }
  }
  return status;
}

type Binding =
  | { kind: 'process'; pid: number; parent: string | undefined; exited: boolean }
  | { kind: 'fd'; fd: number }
  | { kind: 'mapping'; addr: number };

type ProcessBinding = Extract<Binding, { kind: 'process' }>;

const encoder = new TextEncoder();

/** Bytes left untouched at the very top of the stack. */
const STACK_TOP_RESERVE = 256;
/** Bytes of the stack the runner never uses for arguments (reads may use the rest). */
const STACK_MARGIN = 64 * 1024;
/** The largest `peek` (its result is printed in full). */
const PEEK_MAX = 16 * 1024 * 1024;
/** The largest `sum`, and its chunk. */
const SUM_MAX = 1024 * 1024 * 1024;
const SUM_CHUNK = 1024 * 1024;
/** /proc/self/maps is read this much at a time, and at most MAPS_MAX in all. */
const MAPS_CHUNK = 64 * 1024;
const MAPS_MAX = 64 * 1024 * 1024;

/**
 * Memory for one operation's pointer arguments, carved downwards from the top
 * of the process's stack (a C program's locals live there too).
 */
class StackArgs {
  private top: number;
  private readonly floor: number;

  constructor(
    private readonly kernel: KernelHost,
    private readonly pid: number,
  ) {
    const { start, end } = kernel.stack(pid);
    this.top = end - STACK_TOP_RESERVE;
    this.floor = start + STACK_MARGIN;
  }

  /** Room for n more bytes. */
  get room(): number {
    return Math.max(0, this.top - this.floor);
  }

  alloc(n: number): number {
    const addr = Math.floor((this.top - n) / 16) * 16;
    if (addr < this.floor) throw new Error(`runner: ${n} bytes of arguments do not fit on the stack of pid ${this.pid}`);
    this.top = addr;
    return addr;
  }

  put(bytes: Uint8Array): number {
    const addr = this.alloc(bytes.length);
    const sig = this.kernel.store(this.pid, addr, bytes);
    if (sig !== 0) throw new Error(`runner: storing arguments on the stack of pid ${this.pid} at 0x${addr.toString(16)} raised signal ${sig}`);
    return addr;
  }

  cstring(bytes: Uint8Array): number {
    const z = new Uint8Array(bytes.length + 1);
    z.set(bytes);
    return this.put(z);
  }

  load(addr: number, n: number): Uint8Array {
    const buf = new Uint8Array(n);
    const sig = this.kernel.load(this.pid, addr, buf);
    if (sig !== 0) throw new Error(`runner: loading results from the stack of pid ${this.pid} raised signal ${sig}`);
    return buf;
  }
}

function err(result: number): string {
  return formatErrno(result);
}

function signalResult(sig: number): string {
  if (sig === Signal.SIGSEGV) return 'SIGSEGV';
  if (sig === Signal.SIGBUS) return 'SIGBUS';
  return signalName(sig);
}

/** One scenario's state: the kernel, the names, the scratch directory. */
class ScenarioRun {
  private readonly names = new Map<string, Binding>();
  /** Every name ever bound or given to fork (fork labels must be new). */
  private readonly used = new Set<string>();
  /** Why a name is unbound, for error messages. */
  private readonly unbound = new Map<string, string>();
  /** The scratch directory's absolute path (on tskern `/scratch-<n>`, or `/` without a VFS). */
  readonly scratchDir: string;
  private line = 0;

  constructor(
    private readonly kernel: ScenarioKernel,
    /** The directory that holds the scratch directory ('' for the root). */
    private readonly scratchParent: string,
  ) {
    kernel.registerProgram(SCENARIO_PROGRAM, {});
    this.scratchDir = this.makeScratchDir();
    const pid = kernel.spawn(SCENARIO_PROGRAM, {
      uid: SCENARIO_UID,
      gid: SCENARIO_GID,
      umask: 0o022,
      cwd: this.scratchDir,
    });
    this.names.set('p1', { kind: 'process', pid, parent: undefined, exited: false });
    this.used.add('p1');
  }

  /**
   * Create the scratch directory as a real system would: a root process
   * makes `/scratch-<n>` (mode 0700), gives it to the scenario's user, and
   * exits. Without a VFS (mkdir answers ENOSYS) the scratch directory is `/`.
   */
  private makeScratchDir(): string {
    const k = this.kernel;
    const root = k.spawn(SCENARIO_PROGRAM, { uid: 0, gid: 0 });
    try {
      for (let n = 1; n < 10_000; n++) {
        const dir = `${this.scratchParent}/scratch-${n}`;
        const args = new StackArgs(k, root);
        const path = args.cstring(encoder.encode(dir));
        const r = k.syscall(root, SYS.mkdir, path, 0o700);
        if (r === -Errno.EEXIST) continue;
        if (r === -Errno.ENOSYS && this.scratchParent === '') return '/';
        if (r < 0) throw new Error(`runner setup: mkdir("${dir}") answered ${err(r)}`);
        const c = k.syscall(root, SYS.chown, path, SCENARIO_UID, SCENARIO_GID);
        if (c < 0) throw new Error(`runner setup: chown("${dir}") answered ${err(c)}`);
        return dir;
      }
      throw new Error('runner setup: no free /scratch-<n> directory');
    } finally {
      k.syscall(root, SYS.exit_group, 0);
    }
  }

  private fail(why: string): never {
    throw new ScenarioError(this.line, why);
  }

  private describe(name: string, b: Binding): string {
    if (b.kind === 'process') return `${name} is a process label`;
    return b.kind === 'fd' ? `${name} is an fd variable` : `${name} is a mapping variable`;
  }

  private unboundWhy(name: string): string {
    const why = this.unbound.get(name);
    return why ? `${name} is unbound (${why})` : `${name} is unbound`;
  }

  private process(label: string): ProcessBinding {
    const b = this.names.get(label);
    if (!b) {
      if (this.unbound.has(label)) this.fail(`${this.unboundWhy(label)}, not a process label`);
      this.fail(`unknown process ${label} (processes are p1 and the labels given to fork)`);
    }
    if (b.kind !== 'process') this.fail(`${this.describe(label, b)}, not a process label`);
    if (b.exited) this.fail(`process ${label} has exited`);
    return b;
  }

  private fd(name: string): number {
    const b = this.names.get(name);
    if (!b) this.fail(this.unboundWhy(name));
    if (b.kind !== 'fd') this.fail(`${this.describe(name, b)}, not an fd variable`);
    return b.fd;
  }

  private address(a: Address): number {
    if (a.base === undefined) return a.offset;
    const b = this.names.get(a.base);
    if (!b) this.fail(this.unboundWhy(a.base));
    if (b.kind !== 'mapping') this.fail(`${this.describe(a.base, b)}, not a mapping variable`);
    return b.addr + a.offset;
  }

  /** Check that `name` may be bound as a variable (process labels may not). */
  private bindable(name: string): void {
    const b = this.names.get(name);
    if (b?.kind === 'process') this.fail(`${name} is a process label; it cannot be bound as a variable`);
  }

  /** Bind or, for a failed call, unbind `name`; returns the result for the transcript. */
  private bind(name: string, kind: 'fd' | 'mapping', r: number, opName: string): string {
    this.used.add(name);
    if (r < 0) {
      this.names.delete(name);
      this.unbound.set(name, `its ${opName} on line ${this.line} failed`);
      return err(r);
    }
    this.unbound.delete(name);
    this.names.set(name, kind === 'fd' ? { kind, fd: r } : { kind, addr: r });
    return 'ok';
  }

  /** Run one parsed line; returns its RESULT. */
  execute(p: ParsedLine): string {
    this.line = p.line;
    const proc = this.process(p.op.proc);
    return this.run(p.op, proc);
  }

  private run(op: Op, proc: ProcessBinding): string {
    const k = this.kernel;
    const pid = proc.pid;
    const ok = (r: number): string => (r < 0 ? err(r) : 'ok');
    const count = (r: number): string => (r < 0 ? err(r) : String(r));
    switch (op.op) {
      case 'fork':
        return this.fork(op, proc);
      case 'exit':
        return this.exit(proc);
      case 'exec': {
        const path = new StackArgs(k, pid).cstring(encoder.encode(SCENARIO_PROGRAM));
        return ok(k.syscall(pid, SYS.execve, path, 0, 0));
      }
      case 'open': {
        this.bindable(op.fd);
        const path = new StackArgs(k, pid).cstring(op.path);
        return this.bind(op.fd, 'fd', k.syscall(pid, SYS.open, path, op.flags, op.mode), 'open');
      }
      case 'shm_open': {
        this.bindable(op.fd);
        const shm = shmPath(op.name);
        if (!shm.ok) return this.bind(op.fd, 'fd', -Errno.EINVAL, 'shm_open');
        const path = new StackArgs(k, pid).cstring(shm.path);
        let r = k.syscall(pid, SYS.open, path, op.flags | O.O_NOFOLLOW | O.O_CLOEXEC, op.mode);
        if (r === -Errno.EISDIR) r = -Errno.EINVAL;
        return this.bind(op.fd, 'fd', r, 'shm_open');
      }
      case 'shm_unlink': {
        const shm = shmPath(op.name);
        if (!shm.ok) return err(-Errno.ENOENT);
        const path = new StackArgs(k, pid).cstring(shm.path);
        const r = k.syscall(pid, SYS.unlink, path);
        return ok(r === -Errno.EPERM ? -Errno.EACCES : r);
      }
      case 'unlink': {
        const path = new StackArgs(k, pid).cstring(op.path);
        return ok(k.syscall(pid, SYS.unlink, path));
      }
      case 'close':
        return ok(k.syscall(pid, SYS.close, this.fd(op.fd)));
      case 'dup': {
        const fd = this.fd(op.fd);
        this.bindable(op.newFd);
        return this.bind(op.newFd, 'fd', k.syscall(pid, SYS.dup, fd), 'dup');
      }
      case 'ftruncate':
        return ok(k.syscall(pid, SYS.ftruncate, this.fd(op.fd), op.length));
      case 'write': {
        const fd = this.fd(op.fd);
        const buf = new StackArgs(k, pid).put(op.data);
        return count(k.syscall(pid, SYS.write, fd, buf, op.data.length));
      }
      case 'pwrite': {
        const fd = this.fd(op.fd);
        const buf = new StackArgs(k, pid).put(op.data);
        return count(k.syscall(pid, SYS.pwrite64, fd, buf, op.data.length, op.offset));
      }
      case 'read':
      case 'pread':
        return this.read(op, pid);
      case 'lseek': {
        // Exact: a tmpfs file offset reaches 2^63 - 1.
        const r = k.syscallExact(pid, SYS.lseek, this.fd(op.fd), op.offset, op.whence);
        return r < 0 ? err(Number(r)) : String(r);
      }
      case 'fstat': {
        const fd = this.fd(op.fd);
        const args = new StackArgs(k, pid);
        const buf = args.alloc(STAT.size);
        const r = k.syscall(pid, SYS.fstat, fd, buf);
        if (r < 0) return err(r);
        const st = new DataView(args.load(buf, STAT.size).buffer);
        return `size=${st.getBigInt64(STAT.st_size, true)} nlink=${st.getBigUint64(STAT.st_nlink, true)}`;
      }
      case 'mmap': {
        const fd = op.fd.kind === 'var' ? this.fd(op.fd.name) : op.fd.value;
        const addr = this.address(op.addr);
        this.bindable(op.map);
        const r = k.syscall(pid, SYS.mmap, addr, op.length, op.prot, op.flags, fd, op.offset);
        return this.bind(op.map, 'mapping', r, 'mmap');
      }
      case 'munmap':
        return ok(k.syscall(pid, SYS.munmap, this.address(op.addr), op.length));
      case 'mprotect':
        return ok(k.syscall(pid, SYS.mprotect, this.address(op.addr), op.length, op.prot));
      case 'msync':
        return ok(k.syscall(pid, SYS.msync, this.address(op.addr), op.length, op.flags));
      case 'mremap': {
        const addr = this.address(op.addr);
        const newAddr = op.newAddr === undefined ? 0 : this.address(op.newAddr);
        this.bindable(op.map);
        const r = k.syscall(pid, SYS.mremap, addr, op.oldLength, op.newLength, op.flags, newAddr);
        return this.bind(op.map, 'mapping', r, 'mremap');
      }
      case 'madvise':
        return ok(k.syscall(pid, SYS.madvise, this.address(op.addr), op.length, op.advice));
      case 'mincore':
        return this.mincore(op, pid);
      case 'poke': {
        const sig = k.store(pid, this.address(op.addr), op.data);
        return sig === 0 ? 'ok' : signalResult(sig);
      }
      case 'fill': {
        const sig = k.fill(pid, this.address(op.addr), op.length, op.byte);
        return sig === 0 ? 'ok' : signalResult(sig);
      }
      case 'peek': {
        const addr = this.address(op.addr);
        if (op.length > PEEK_MAX) this.fail(`peek LEN ${op.length} is more than the runner prints (${PEEK_MAX} bytes); use sum`);
        const buf = new Uint8Array(op.length);
        const sig = k.load(pid, addr, buf);
        return sig === 0 ? quoteBytes(buf) : signalResult(sig);
      }
      case 'sum':
        return this.sum(this.address(op.addr), op.length, pid);
      case 'eq':
        return this.address(op.a) === this.address(op.b) ? 'true' : 'false';
      case 'maps': {
        const addr = this.address(op.addr);
        if (addr < 0) this.fail(`maps ADDR must not be negative, got ${addr}`);
        if (op.length === 0) return '';
        return describeMaps(this.readMaps(pid), addr, op.length, this.scratchDir);
      }
    }
  }

  private fork(op: OpOf<'fork'>, proc: ProcessBinding): string {
    if (this.used.has(op.child)) this.fail(`fork label ${op.child} was used before (a fork label must be new)`);
    this.used.add(op.child);
    const r = this.kernel.syscall(proc.pid, SYS.fork);
    if (r < 0) {
      this.unbound.set(op.child, `its fork on line ${this.line} failed`);
      return err(r);
    }
    this.names.set(op.child, { kind: 'process', pid: r, parent: op.proc, exited: false });
    return 'ok';
  }

  /** exit_group, then the parent (when alive) reaps the child with wait4, as a C parent would. */
  private exit(proc: ProcessBinding): string {
    const k = this.kernel;
    k.syscall(proc.pid, SYS.exit_group, 0);
    proc.exited = true;
    const parent = proc.parent === undefined ? undefined : this.names.get(proc.parent);
    if (parent?.kind === 'process' && !parent.exited && k.isAlive(parent.pid)) {
      const r = k.syscall(parent.pid, SYS.wait4, proc.pid, 0, 0, 0);
      if (r !== proc.pid && r !== -Errno.ENOSYS) {
        throw new Error(`runner: wait4(${proc.pid}) by its parent ${proc.parent} answered ${r < 0 ? err(r) : r}`);
      }
    }
    return 'ok';
  }

  private read(op: OpOf<'read'> | OpOf<'pread'>, pid: number): string {
    const k = this.kernel;
    const fd = this.fd(op.fd);
    const args = new StackArgs(k, pid);
    if (op.length > args.room) this.fail(`${op.op} LEN ${op.length} is more than the runner reads at once (${args.room} bytes)`);
    const buf = args.alloc(op.length);
    const r =
      op.op === 'read' ? k.syscall(pid, SYS.read, fd, buf, op.length) : k.syscall(pid, SYS.pread64, fd, buf, op.length, op.offset);
    if (r < 0) return err(r);
    return quoteBytes(args.load(buf, Math.min(r, op.length)));
  }

  private mincore(op: OpOf<'mincore'>, pid: number): string {
    const k = this.kernel;
    const addr = this.address(op.addr);
    const args = new StackArgs(k, pid);
    const pages = op.length > 0 ? Math.ceil(op.length / PAGE_SIZE) : 0;
    if (pages > args.room) this.fail(`mincore LEN ${op.length} needs a vector larger than the runner's (${args.room} pages)`);
    const vec = args.alloc(pages);
    const r = k.syscall(pid, SYS.mincore, addr, op.length, vec);
    if (r < 0) return err(r);
    let s = '';
    for (const b of args.load(vec, pages)) s += b & 1 ? '1' : '0';
    return s;
  }

  private sum(addr: number, length: number, pid: number): string {
    if (length > SUM_MAX) this.fail(`sum LEN ${length} is more than the runner sums (${SUM_MAX} bytes)`);
    let hash = fnv1a32();
    const chunk = new Uint8Array(Math.min(length, SUM_CHUNK));
    for (let off = 0; off < length; off += SUM_CHUNK) {
      const part = chunk.subarray(0, Math.min(SUM_CHUNK, length - off));
      const sig = this.kernel.load(pid, addr + off, part);
      if (sig !== 0) return signalResult(sig);
      hash = fnv1a32(part, hash);
    }
    return formatFnv(hash);
  }

  /** The text of the process's /proc/self/maps, read with open/read/close. */
  private readMaps(pid: number): string {
    const k = this.kernel;
    const args = new StackArgs(k, pid);
    const path = args.cstring(encoder.encode('/proc/self/maps'));
    const fd = k.syscall(pid, SYS.open, path, O.O_RDONLY, 0);
    if (fd < 0) throw new Error(`runner: maps: open("/proc/self/maps") answered ${err(fd)} (is procfs mounted?)`);
    const buf = args.alloc(MAPS_CHUNK);
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const r = k.syscall(pid, SYS.read, fd, buf, MAPS_CHUNK);
        if (r < 0) throw new Error(`runner: maps: read of /proc/self/maps answered ${err(r)}`);
        if (r === 0) break;
        parts.push(args.load(buf, Math.min(r, MAPS_CHUNK)));
        total += r;
        if (total > MAPS_MAX) throw new Error(`runner: maps: /proc/self/maps is longer than ${MAPS_MAX} bytes`);
      }
    } finally {
      k.syscall(pid, SYS.close, fd);
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder().decode(all);
  }
}
