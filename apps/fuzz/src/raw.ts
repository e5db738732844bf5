/**
 * The raw syscall fuzzer: random syscall numbers (mostly the implemented
 * ones) with random raw arguments (huge lengths, negative values, unaligned
 * addresses, bad fds and pointers, overlapping ranges, pointers into the
 * process's stack and mappings) from many processes, plus random loads,
 * stores and fills, on a kernel with its invariant checks on.
 *
 * A run is a sequence of *actions*. The generator picks each action from the
 * PRNG and the kernel's current state (where the mappings are); the machine
 * executes it. Actions name processes by slot (the order processes appeared
 * in: spawn, or a fork that returned a pid), never by pid, so a recorded
 * action list can be replayed and minimised (delta debugging) on a fresh
 * kernel.
 *
 * The kernel must never throw, never return a non-integer or an impossible
 * value, never take long over one call, keep every address space's
 * invariants (`mm.check()`), and, once every process has exited and every
 * file is removed, hold no frame.
 */
import { MADV, O, SYS, syscallName } from '@tskern/abi';
import { setInvariantChecks } from '@tskern/assert';
import { createKernel, type Kernel } from '@tskern/kernel';
import { framesLeftAfterCleanup } from './cleanup';
import { Prng } from './prng';

export const RAW_PROGRAM = '/bin/fuzz';

/**
 * What the fuzzer does. `s` names a process by slot; `spawn` and a `fork`
 * (or vfork) that succeeds bind slot `c`. Slots are stable names: dropping a
 * fork from a recorded list leaves its slot unbound (calls on it answer
 * ESRCH), without renaming every later process.
 */
export type Action =
  | { readonly t: 'spawn'; readonly uid: number; readonly c: number }
  | { readonly t: 'sys'; readonly s: number; readonly nr: number; readonly a: readonly number[]; readonly c?: number }
  | { readonly t: 'load'; readonly s: number; readonly addr: number; readonly len: number }
  | { readonly t: 'store'; readonly s: number; readonly addr: number; readonly data: readonly number[] }
  | { readonly t: 'fill'; readonly s: number; readonly addr: number; readonly len: number; readonly byte: number }
  | { readonly t: 'check' }
  | { readonly t: 'end' };

export type FailureKind = 'exception' | 'invariant' | 'bad-result' | 'slow' | 'leak' | 'hang';

export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
  readonly stack?: string;
  /** A signature: kind and message with numbers masked. */
  readonly signature: string;
}

export function failureSignature(kind: FailureKind, message: string): string {
  return `${kind}: ${message.split('\n')[0]!.replace(/0x[0-9a-f]+/gi, '#').replace(/\d+/g, '#').slice(0, 160)}`;
}

export class RawFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

function fail(kind: FailureKind, message: string, stack?: string): never {
  throw new RawFailure({ kind, message, signature: failureSignature(kind, message), ...(stack ? { stack } : {}) });
}

const TWO_63 = 2 ** 63;

/** Executes actions on one kernel; throws RawFailure when the kernel misbehaves. */
export class RawMachine {
  readonly kernel: Kernel;
  /** Slot → pid. */
  readonly slots = new Map<number, number>();
  /** The next unused slot number. */
  nextSlot = 0;
  /** Recent non-negative results (addresses, fds, pids), for the generator. */
  readonly recent: number[] = [];

  constructor(
    private readonly callBudgetMs = 5_000,
    private readonly onCall?: () => void,
    /**
     * The slow-call limit measured again now (call-budget.ts), or absent for a
     * fixed limit. The limit was calibrated when the run started; a host that
     * got busier since makes its own page faults slower, so a call over the
     * limit is only slow if it is still over the limit the host earns now.
     */
    private readonly recalibrate?: () => number,
  ) {
    setInvariantChecks(true);
    this.kernel = createKernel();
    this.kernel.registerProgram(RAW_PROGRAM, {});
  }

  pid(slot: number): number {
    return this.slots.get(slot) ?? -1;
  }

  liveSlots(): number[] {
    const out: number[] = [];
    for (const [s, pid] of this.slots) if (this.kernel.isAlive(pid)) out.push(s);
    return out;
  }

  private bindSlot(slot: number, pid: number): void {
    this.slots.set(slot, pid);
    if (slot >= this.nextSlot) this.nextSlot = slot + 1;
  }

  private remember(r: number): void {
    this.recent.push(r);
    if (this.recent.length > 32) this.recent.shift();
  }

  /** Run one action. Returns the result (syscall value or signal) where there is one. */
  run(a: Action): number {
    this.onCall?.();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let r = 0;
    try {
      r = this.dispatch(a);
    } catch (e) {
      if (e instanceof RawFailure) throw e;
      const kind: FailureKind = e instanceof Error && e.name === 'InvariantError' ? 'invariant' : 'exception';
      fail(kind, `${describe(a)} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, e instanceof Error ? e.stack : undefined);
    }
    const ms = performance.now() - t0;
    if (ms > this.callBudgetMs && a.t !== 'end' && a.t !== 'check') {
      // The CPU time the process spent (user + system: the host's page faults
      // count), not the wall clock: on a loaded machine, or at a low priority,
      // a call waits for a CPU for seconds without being slow itself.
      const used = process.cpuUsage(cpu0);
      const cpuMs = (used.user + used.system) / 1000;
      const limit = this.recalibrate === undefined ? this.callBudgetMs : Math.max(this.callBudgetMs, this.recalibrate());
      if (Math.min(ms, cpuMs) > limit) fail('slow', `${describe(a)} took ${ms.toFixed(0)} ms, ${cpuMs.toFixed(0)} ms of CPU (limit ${limit} ms)`);
    }
    return r;
  }

  private dispatch(a: Action): number {
    const k = this.kernel;
    switch (a.t) {
      case 'spawn': {
        const pid = k.spawn(RAW_PROGRAM, { uid: a.uid, gid: a.uid, umask: 0o022, cwd: '/' });
        if (!(pid > 0)) fail('bad-result', `spawn answered ${pid}`);
        this.bindSlot(a.c, pid);
        return pid;
      }
      case 'sys': {
        const r = k.syscall(this.pid(a.s), a.nr, ...(a.a as [number, number, number, number, number, number]));
        // A syscall returns a long: -4095..-1 for an error, else 0..2^63-1.
        if (typeof r !== 'number' || !Number.isInteger(r) || r < -4095 || r >= TWO_63) {
          fail('bad-result', `${describe(a)} answered ${String(r)}`);
        }
        if ((a.nr === SYS.fork || a.nr === SYS.vfork) && r > 0 && a.c !== undefined) this.bindSlot(a.c, r);
        if (r > 0) this.remember(r);
        return r;
      }
      case 'load': {
        const sig = k.load(this.pid(a.s), a.addr, new Uint8Array(a.len));
        checkSignal(a, sig);
        return sig;
      }
      case 'store': {
        const sig = k.store(this.pid(a.s), a.addr, Uint8Array.from(a.data));
        checkSignal(a, sig);
        return sig;
      }
      case 'fill': {
        const sig = k.fill(this.pid(a.s), a.addr, a.len, a.byte);
        checkSignal(a, sig);
        return sig;
      }
      case 'check': {
        for (const p of k.tasks.tasks()) {
          if (!p.alive) continue;
          try {
            p.mm.check();
          } catch (e) {
            fail('invariant', `mm.check() of pid ${p.pid}: ${e instanceof Error ? e.message : String(e)}`, e instanceof Error ? e.stack : undefined);
          }
        }
        return 0;
      }
      case 'end': {
        const left = framesLeftAfterCleanup(k);
        if (left !== 0) fail('leak', `${left} frames in use after every process exited and every file was removed`);
        return 0;
      }
    }
  }
}

function checkSignal(a: Action, sig: number): void {
  if (sig !== 0 && sig !== 7 && sig !== 11) fail('bad-result', `${describe(a)} answered signal ${String(sig)}`);
}

function hex(n: number): string {
  if (n < 0) return `-0x${(-n).toString(16)}`;
  return n < 4096 ? String(n) : `0x${n.toString(16)}`;
}

/** One line describing an action (for reports and the .txt listing). */
export function describe(a: Action): string {
  switch (a.t) {
    case 'spawn':
      return `spawn(uid ${a.uid}) -> slot ${a.c}`;
    case 'sys':
      return `[slot ${a.s}] ${syscallName(a.nr)}(${a.a.map(hex).join(', ')})${a.c !== undefined ? ` -> child slot ${a.c}` : ''}`;
    case 'load':
      return `[slot ${a.s}] load(${hex(a.addr)}, ${a.len})`;
    case 'store':
      return `[slot ${a.s}] store(${hex(a.addr)}, "${a.data.map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}")`;
    case 'fill':
      return `[slot ${a.s}] fill(${hex(a.addr)}, ${hex(a.len)}, ${a.byte})`;
    case 'check':
      return 'check every mm';
    case 'end':
      return 'exit everything, remove every file, expect 0 frames in use';
  }
}

// ---- the generator ----

const HUGE = [
  // Every value is exact as a double (2^64 - 1 is not: it rounds to 2^64, which no register holds; -1 is that value).
  2 ** 47, 2 ** 47 - 4096, 2 ** 48, 2 ** 52, 2 ** 53 - 1, 2 ** 63, 2 ** 64 - 4096, 2 ** 64 - 2048, -1, -4096, -4095, -(2 ** 31),
  2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 32 - 4096, 0x7fffffff000, 0xffffffffffff,
];

const IMPLEMENTED = [
  SYS.mmap, SYS.munmap, SYS.mprotect, SYS.mremap, SYS.msync, SYS.madvise, SYS.mincore, SYS.fork, SYS.vfork,
  SYS.exit_group, SYS.exit, SYS.wait4, SYS.execve, SYS.open, SYS.openat, SYS.creat, SYS.close, SYS.read, SYS.write,
  SYS.pread64, SYS.pwrite64, SYS.lseek, SYS.ftruncate, SYS.truncate, SYS.fstat, SYS.stat, SYS.lstat, SYS.dup, SYS.dup2,
  SYS.dup3, SYS.unlink, SYS.unlinkat, SYS.mkdir, SYS.rmdir, SYS.rename, SYS.chdir, SYS.fchdir, SYS.getcwd, SYS.fcntl,
  SYS.getdents64, SYS.getpid, SYS.getppid, SYS.memfd_create, SYS.symlink, SYS.readlink, SYS.link, SYS.chmod, SYS.fchmod,
  SYS.access, SYS.umask, SYS.fsync, SYS.readv, SYS.writev, SYS.brk, SYS.kill,
];

const PATHS = [
  'a', 'b', 'c', 'd/e', 'd', '/a', '/tmp', '/dev/shm/x', '/dev/shm/y', '/dev/shm', '/dev/shm/', '/', '', '.', '..', '../..',
  '/bin/fuzz', '/proc/self/maps', '/proc', 'a/', 'a/.', 'a/..', '/dev', '/dev/zero', '//a', 'x'.repeat(255), 'y'.repeat(256),
  ('z/').repeat(40), '/dev/shm/' + 'w'.repeat(250),
];

const O_BITS = [
  O.O_WRONLY, O.O_RDWR, O.O_CREAT, O.O_EXCL, O.O_TRUNC, O.O_APPEND, O.O_DIRECTORY, O.O_CLOEXEC, O.O_NOFOLLOW,
  0o40000 /* O_DIRECT */, 0o20000000 /* O_PATH */, 0o20200000 /* O_TMPFILE */, 0o4000 /* O_NONBLOCK */, 0o100000,
];

const MAP_BITS = [0x10, 0x20, 0x40, 0x100, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x4000000, 0x08];

const PAGE = 4096;
/** The top of each stack, where argument strings and buffers go. */
const ARG_AREA = 64 * PAGE;
/** Frames in use above which processes are made to exit more often (the arena has 262144). */
const PRESSURE_FRAMES = 160_000;

export interface RawGenOptions {
  readonly maxProcs: number;
  readonly checkEvery: number;
  /** Syscall numbers never to make (to look past a known failure). */
  readonly skip?: ReadonlySet<number>;
}

/**
 * Generates actions from a PRNG and the machine's state. `next()` answers the
 * actions of one call (a path or buffer store first, where the call takes
 * one, then the call).
 */
export class RawGenerator {
  private calls = 0;
  private fds: number[] = [3, 4, 5];

  constructor(
    private readonly r: Prng,
    private readonly m: RawMachine,
    private readonly o: RawGenOptions,
  ) {}

  next(): Action[] {
    this.calls++;
    const live = this.m.liveSlots();
    if (live.length === 0 || (live.length < 2 && this.r.chance(0.01))) return [{ t: 'spawn', uid: this.r.chance(0.5) ? 0 : 1000, c: this.m.nextSlot++ }];
    if (this.calls % this.o.checkEvery === 0) return [{ t: 'check' }];
    // Mostly a live process; now and then an exited one (ESRCH / SIGSEGV).
    const s = this.r.chance(0.01) ? this.r.pick([...this.m.slots.keys()]) : this.r.pick(live);
    // Under memory pressure (a huge MAP_POPULATE or MAP_LOCKED), processes
    // exit sooner, so running out of frames stays an episode, not the rule.
    if (this.m.kernel.framesInUse() > PRESSURE_FRAMES && this.r.chance(0.2)) return [{ t: 'sys', s, nr: SYS.exit_group, a: [0] }];
    const x = this.r.float();
    if (x < 0.1) return [this.memoryAction(s)];
    return this.syscall(s, live.length);
  }

  // ---- argument pools ----

  private stackOf(s: number): { start: number; end: number } {
    return this.m.kernel.stack(this.m.pid(s));
  }

  /** Mappings of the process (start, end), from its address space. */
  private vmas(s: number): [number, number][] {
    const proc = this.m.kernel.tasks.get(this.m.pid(s));
    if (proc === undefined || !proc.alive) return [];
    const out: [number, number][] = [];
    for (const seg of proc.mm.vmas.segmentsIn(0, 2 ** 47)) {
      out.push([seg.start, seg.end]);
      if (out.length >= 64) break;
    }
    return out;
  }

  private addr(s: number): number {
    const r = this.r;
    const x = r.float();
    const vmas = this.vmas(s);
    if (x < 0.45 && vmas.length > 0) {
      const [start, end] = r.pick(vmas);
      const y = r.float();
      if (y < 0.3) return start;
      if (y < 0.45) return end;
      if (y < 0.55) return start - PAGE * (1 + r.small(4));
      if (y < 0.65) return end - PAGE;
      if (y < 0.9) return start + PAGE * r.int(Math.max(1, (end - start) / PAGE));
      return start + r.int(end - start);
    }
    if (x < 0.6) {
      const st = this.stackOf(s);
      return r.pick([st.end - PAGE, st.end - 256, st.start, st.end, st.start - PAGE, st.end - PAGE * (1 + r.int(64))]);
    }
    if (x < 0.7 && this.m.recent.length > 0) return r.pick(this.m.recent) + r.pick([0, 0, PAGE, -PAGE, 1]);
    if (x < 0.8) return r.pick([0, 1, PAGE, 0x10000, 0x400000, 0x7f0000000000, 0x7ffffffff000, 0x7fffffffe000]);
    if (x < 0.9) return r.pick(HUGE);
    if (x < 0.95) return PAGE * r.int(2 ** 35);
    return r.int(2 ** 47);
  }

  private len(s: number): number {
    const r = this.r;
    const x = r.float();
    if (x < 0.1) return 0;
    if (x < 0.5) return PAGE * (1 + r.small(6));
    if (x < 0.65) return r.int(5 * PAGE);
    if (x < 0.75) {
      const vmas = this.vmas(s);
      if (vmas.length > 0) {
        const [a, b] = r.pick(vmas);
        return b - a + r.pick([0, 0, PAGE, -PAGE, 1]);
      }
      return PAGE;
    }
    if (x < 0.85) return r.pick([1 << 20, 2 << 20, 8 << 20, 64 << 20]);
    if (x < 0.995) return r.pick(HUGE);
    return r.pick([256 << 20, 1 << 30, 2 << 30]);
  }

  private prot(): number {
    const r = this.r;
    if (r.chance(0.9)) return r.pick([0, 1, 3, 5, 7, 2, 4, 6]);
    return r.pick([8, 0x10, 0x01000000 | 1, 0x02000000 | 3, 0x03000000, -1, r.next32()]);
  }

  private mapFlags(): number {
    const r = this.r;
    let f = r.weighted([[5, 2], [4, 1], [1, 3], [0.3, 0], [0.2, 0xf]]);
    if (r.chance(0.8)) f |= 0x20; // MAP_ANONYMOUS
    if (r.chance(0.35)) f |= 0x10; // MAP_FIXED
    for (const b of MAP_BITS) if (r.chance(0.04)) f |= b;
    if (r.chance(0.02)) f |= r.next32();
    return f;
  }

  private fd(): number {
    const r = this.r;
    const x = r.float();
    if (x < 0.7) return r.pick(this.fds);
    if (x < 0.85) return r.int(8);
    return r.pick([-1, -100, 1023, 1024, 2 ** 31 - 1, 2 ** 32 + 3, -(2 ** 31)]);
  }

  private off(): number {
    const r = this.r;
    const x = r.float();
    if (x < 0.5) return 0;
    if (x < 0.8) return PAGE * r.int(16);
    if (x < 0.9) return r.int(3 * PAGE);
    return r.pick(HUGE);
  }

  /** A pointer for a buffer the call writes or reads. */
  private buf(s: number): number {
    const r = this.r;
    if (r.chance(0.7)) {
      const st = this.stackOf(s);
      return st.end - PAGE * (2 + r.int(8)) - r.int(64);
    }
    return this.addr(s);
  }

  /** Store a path in the stack, and answer a pointer to it (or a bad pointer). */
  private path(s: number, pre: Action[]): number {
    const r = this.r;
    if (r.chance(0.05)) return r.pick([0, 1, ...HUGE, this.addr(s)]);
    let p = r.pick(PATHS);
    if (r.chance(0.05)) p = String.fromCharCode(...Array.from({ length: 1 + r.int(12) }, () => 1 + r.int(255)));
    const bytes = [...new TextEncoder().encode(p)];
    if (!r.chance(0.03)) bytes.push(0); // now and then unterminated
    const st = this.stackOf(s);
    const at = st.end - PAGE * (12 + pre.length) - r.int(16);
    pre.push({ t: 'store', s, addr: at, data: bytes });
    return at;
  }

  private memoryAction(s: number): Action {
    const r = this.r;
    const addr = this.addr(s);
    const len = r.chance(0.9) ? r.int(2 * PAGE) + 1 : r.pick([PAGE * 64, 1 << 20, 4 << 20]);
    const kind = r.weighted([[4, 'load'], [4, 'store'], [3, 'fill']] as const);
    if (kind === 'load') return { t: 'load', s, addr, len: Math.min(len, 1 << 20) };
    if (kind === 'store') return { t: 'store', s, addr, data: Array.from({ length: Math.min(len, 64) }, () => r.int(256)) };
    return { t: 'fill', s, addr, len, byte: r.int(256) };
  }

  private syscall(s: number, live: number): Action[] {
    const r = this.r;
    const pre: Action[] = [];
    let nr: number;
    if (r.chance(0.9)) {
      nr = r.weighted<number>([
        [14, SYS.mmap], [8, SYS.munmap], [6, SYS.mprotect], [8, SYS.mremap], [3, SYS.msync], [5, SYS.madvise], [3, SYS.mincore],
        [2, SYS.fork], [1.5, SYS.exit_group], [2, SYS.wait4], [1, SYS.execve], [5, SYS.open], [2, SYS.close], [3, SYS.read],
        [3, SYS.write], [1, SYS.pread64], [1, SYS.pwrite64], [1, SYS.lseek], [2, SYS.ftruncate], [1, SYS.fstat], [1, SYS.dup],
        [1, SYS.dup2], [1, SYS.unlink], [3, r.pick(IMPLEMENTED)],
      ]);
    } else {
      nr = r.chance(0.8) ? r.int(460) : r.pick([-1, 1000, 2 ** 31, 2 ** 32 + 9, 0x40000000 + 9]);
    }
    if ((nr === SYS.fork || nr === SYS.vfork) && live >= this.o.maxProcs) nr = SYS.getpid;
    if (this.o.skip?.has(nr)) nr = SYS.getpid;
    let a = this.args(s, nr, pre);
    // Calls that would unmap or protect the top of the stack (where argument
    // strings and buffers go) are mostly redrawn, or every later call of the
    // process (and its children) would just answer EFAULT.
    for (let tries = 0; tries < 4 && this.hitsArgArea(s, nr, a) && !r.chance(0.03); tries++) {
      pre.length = 0;
      a = this.args(s, nr, pre);
    }
    if (nr === SYS.fork || nr === SYS.vfork) return [...pre, { t: 'sys', s, nr, a, c: this.m.nextSlot++ }];
    return [...pre, { t: 'sys', s, nr, a }];
  }

  private hitsArgArea(s: number, nr: number, a: readonly number[]): boolean {
    const st = this.stackOf(s);
    const lo = st.end - ARG_AREA;
    const hits = (start: number, len: number): boolean => {
      const u = (x: number): number => (x < 0 ? 2 ** 64 + x : x);
      const b = u(start);
      const e = b + Math.max(u(len), 1);
      return b < st.end && e > lo;
    };
    switch (nr) {
      case SYS.mmap:
        return ((a[3]! & 0x10) !== 0 || (a[3]! & 0x100000) !== 0) && hits(a[0]!, a[1]!);
      case SYS.munmap:
      case SYS.mprotect:
        return hits(a[0]!, a[1]!);
      case SYS.mremap:
        return hits(a[0]!, a[1]!) || ((a[3]! & 2) !== 0 && hits(a[4]!, a[2]!));
      default:
        return false;
    }
  }

  private args(s: number, nr: number, pre: Action[]): number[] {
    const r = this.r;
    const any = (): number => r.weighted<() => number>([[3, () => this.addr(s)], [3, () => this.len(s)], [2, () => this.fd()], [1, () => r.next32()]])();
    switch (nr) {
      case SYS.mmap:
        return [r.chance(0.3) ? 0 : this.addr(s), this.len(s), this.prot(), this.mapFlags(), this.fd(), this.off()];
      case SYS.munmap:
        return [this.addr(s), this.len(s)];
      case SYS.mprotect:
        return [this.addr(s), this.len(s), this.prot()];
      case SYS.mremap: {
        let flags = r.weighted([[3, 1], [3, 3], [1, 7], [2, 0], [0.5, 2], [0.5, 4], [0.3, 5], [0.2, 8]]);
        if (r.chance(0.02)) flags = r.next32();
        return [this.addr(s), this.len(s), this.len(s), flags, this.addr(s)];
      }
      case SYS.msync:
        return [this.addr(s), this.len(s), r.chance(0.9) ? r.pick([1, 2, 4, 6, 3, 0, 5]) : r.next32()];
      case SYS.madvise: {
        const advs = Object.values(MADV) as number[];
        return [this.addr(s), this.len(s), r.chance(0.9) ? r.pick(advs) : r.pick([5, 6, 7, 26, 99, 104, -1, r.next32()])];
      }
      case SYS.mincore:
        return [this.addr(s), r.chance(0.8) ? PAGE * r.int(64) : this.len(s), this.buf(s)];
      case SYS.fork:
      case SYS.vfork:
      case SYS.getpid:
      case SYS.getppid:
        return [];
      case SYS.exit_group:
      case SYS.exit:
        return [r.int(256)];
      case SYS.wait4: {
        const children = this.m.recent.filter((x) => x < 100_000);
        const pid = r.chance(0.5) ? -1 : r.chance(0.7) && children.length > 0 ? r.pick(children) : r.pick([0, 1, -2, 99999]);
        return [pid, r.chance(0.6) ? this.buf(s) : r.pick([0, 1, this.addr(s)]), r.chance(0.7) ? 1 : r.pick([0, 2, 4, 0x40000000, r.next32()]), 0];
      }
      case SYS.execve:
        if (r.chance(0.85)) {
          const st = this.stackOf(s);
          const at = st.end - PAGE * 11;
          pre.push({ t: 'store', s, addr: at, data: [...new TextEncoder().encode(RAW_PROGRAM), 0] });
          return [at, r.chance(0.8) ? 0 : this.addr(s), 0];
        }
        return [this.path(s, pre), 0, 0];
      case SYS.open:
      case SYS.creat: {
        let flags = r.pick([0, 1, 2]);
        if (r.chance(0.5)) flags |= O.O_CREAT;
        for (const b of O_BITS) if (r.chance(0.1)) flags |= b;
        if (r.chance(0.02)) flags = r.next32();
        return [this.path(s, pre), flags, r.chance(0.8) ? r.pick([0o600, 0o644, 0o666, 0o000, 0o400, 0o777]) : r.next32()];
      }
      case SYS.openat:
        return [r.chance(0.7) ? -100 : this.fd(), this.path(s, pre), r.pick([0, 2, 0o102, 0o302, 0o200000]), 0o600];
      case SYS.close:
      case SYS.dup:
      case SYS.fsync:
      case SYS.fchdir:
        return [this.fd()];
      case SYS.dup2:
        return [this.fd(), this.fd()];
      case SYS.dup3:
        return [this.fd(), this.fd(), r.pick([0, O.O_CLOEXEC, 1])];
      case SYS.read:
      case SYS.write:
        return [this.fd(), this.buf(s), r.chance(0.85) ? r.int(3 * PAGE) : this.len(s)];
      case SYS.pread64:
      case SYS.pwrite64:
        return [this.fd(), this.buf(s), r.chance(0.85) ? r.int(3 * PAGE) : this.len(s), this.off()];
      case SYS.lseek:
        return [this.fd(), r.chance(0.8) ? r.int(4 * PAGE) : r.pick(HUGE), r.chance(0.9) ? r.int(5) : r.next32()];
      case SYS.ftruncate:
        return [this.fd(), r.chance(0.8) ? r.int(12 * PAGE) : r.pick(HUGE)];
      case SYS.truncate:
        return [this.path(s, pre), r.chance(0.8) ? r.int(12 * PAGE) : r.pick(HUGE)];
      case SYS.fstat:
        return [this.fd(), this.buf(s)];
      case SYS.stat:
      case SYS.lstat:
        return [this.path(s, pre), this.buf(s)];
      case SYS.unlink:
      case SYS.rmdir:
      case SYS.chdir:
        return [this.path(s, pre)];
      case SYS.mkdir:
        return [this.path(s, pre), r.pick([0o700, 0o755, 0])];
      case SYS.unlinkat:
        return [-100, this.path(s, pre), r.pick([0, 0x200, 1])];
      case SYS.rename:
      case SYS.symlink:
      case SYS.link:
        return [this.path(s, pre), this.path(s, pre)];
      case SYS.readlink:
        return [this.path(s, pre), this.buf(s), r.int(300)];
      case SYS.getcwd:
        return [this.buf(s), r.int(300)];
      case SYS.getdents64:
        return [this.fd(), this.buf(s), r.int(2 * PAGE)];
      case SYS.fcntl:
        return [this.fd(), r.pick([0, 1, 2, 3, 4, 1030, 1024, r.next32()]), r.pick([0, 1, 3, 10, O.O_APPEND, -1])];
      case SYS.memfd_create:
        return [this.path(s, pre), r.pick([0, 1, 2, 3, r.next32()])];
      case SYS.chmod:
        return [this.path(s, pre), r.pick([0o600, 0, 0o7777])];
      case SYS.fchmod:
        return [this.fd(), r.pick([0o600, 0, 0o7777])];
      case SYS.access:
        return [this.path(s, pre), r.int(8)];
      case SYS.umask:
        return [r.pick([0o022, 0o777, 0])];
      case SYS.readv:
      case SYS.writev:
        return [this.fd(), this.buf(s), r.int(4)];
      default:
        return [any(), any(), any(), any(), any(), any()];
    }
  }

  /** Remember fds that opens and dups return (so later calls use real ones). */
  noteResult(a: Action, result: number): void {
    if (a.t !== 'sys' || result < 0) return;
    if ([SYS.open, SYS.openat, SYS.creat, SYS.dup, SYS.dup2, SYS.dup3, SYS.memfd_create].includes(a.nr as never)) {
      this.fds.push(result);
      if (this.fds.length > 12) this.fds.shift();
    }
  }
}

/** One epoch: a fresh kernel, `calls` generated calls, then a full check and the leak check. */
export interface EpochResult {
  readonly calls: number;
  readonly failure?: Failure;
  /** The index (within the epoch) of the call that failed. */
  readonly failedAt?: number;
  /** The actions run, when recording. */
  readonly actions?: Action[];
  readonly ms: number;
}

export interface EpochOptions extends RawGenOptions {
  readonly seed: number;
  readonly epoch: number;
  readonly calls: number;
  readonly callBudgetMs: number;
  /** The limit measured again when a call passes it (RawMachine); absent: the limit is fixed. */
  readonly recalibrate?: () => number;
  readonly record: boolean;
  /** Called before each call with its index (a watchdog's heartbeat). */
  readonly progress?: (index: number) => void;
  /** Stop after this call index (reproduction up to a failure). */
  readonly stopAfter?: number;
  /** Called before each action runs (tracing). */
  readonly onAction?: (index: number, action: Action) => void;
}

export function runEpoch(o: EpochOptions): EpochResult {
  const t0 = performance.now();
  let index = 0;
  const machine = new RawMachine(o.callBudgetMs, () => o.progress?.(index), o.recalibrate);
  const gen = new RawGenerator(new Prng(o.seed, 0x5eed0000 + o.epoch), machine, o);
  const actions: Action[] | undefined = o.record ? [] : undefined;
  try {
    const last = Math.min(o.calls, (o.stopAfter ?? Infinity) + 1);
    for (; index < last; index++) {
      for (const a of gen.next()) {
        actions?.push(a);
        o.onAction?.(index, a);
        gen.noteResult(a, machine.run(a));
      }
    }
    index = o.calls;
    for (const a of [{ t: 'check' }, { t: 'end' }] as const) {
      actions?.push(a);
      machine.run(a);
    }
  } catch (e) {
    if (!(e instanceof RawFailure)) throw e;
    return { calls: index, failure: e.failure, failedAt: index, ms: performance.now() - t0, ...(actions ? { actions } : {}) };
  }
  return { calls: o.calls, ms: performance.now() - t0, ...(actions ? { actions } : {}) };
}

/** Replay recorded actions on a fresh kernel, then check and the leak check; the failure, if any. */
export function replay(actions: readonly Action[], callBudgetMs = 60_000, onCall?: () => void): Failure | undefined {
  const machine = new RawMachine(callBudgetMs, onCall);
  try {
    for (const a of actions) machine.run(a);
    if (actions[actions.length - 1]?.t !== 'end') {
      machine.run({ t: 'check' });
      machine.run({ t: 'end' });
    }
  } catch (e) {
    if (e instanceof RawFailure) return e.failure;
    throw e;
  }
  return undefined;
}

/**
 * Delta debugging over the actions: the smallest list found (within
 * `budgetMs`) that still fails with `signature`.
 */
export function minimizeActions(actions: readonly Action[], signature: string, budgetMs = 120_000, onCall?: () => void, callBudgetMs = 60_000): Action[] {
  const deadline = performance.now() + budgetMs;
  // The trailing check/end are implied by replay.
  let cur: Action[] = actions.filter((a) => a.t !== 'end' && a.t !== 'check');
  const fails = (c: readonly Action[]): boolean => replay(c, callBudgetMs, onCall)?.signature === signature;
  if (!fails(cur)) {
    cur = [...actions];
    if (!fails(cur)) return [...actions];
  }
  let n = 2;
  while (cur.length >= 2 && performance.now() < deadline) {
    const size = cur.length / n;
    let reduced = false;
    for (let i = 0; i < n && performance.now() < deadline; i++) {
      const lo = Math.round(i * size);
      const hi = Math.round((i + 1) * size);
      if (hi <= lo) continue;
      const cand = [...cur.slice(0, lo), ...cur.slice(hi)];
      if (fails(cand)) {
        cur = cand;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (n >= cur.length) break;
    n = Math.min(cur.length, n * 2);
  }
  return collapseForks(cur, fails, deadline);
}

/**
 * Fork chains only carry a process to the call that fails; try to drop each
 * fork and let its parent make the child's calls instead, last fork first.
 */
function collapseForks(actions: Action[], fails: (c: readonly Action[]) => boolean, deadline: number): Action[] {
  let cur = actions;
  for (let i = cur.length - 1; i >= 0 && performance.now() < deadline; i--) {
    const a = cur[i];
    if (a === undefined || a.t !== 'sys' || a.c === undefined) continue;
    const child = a.c;
    const parent = a.s;
    const cand = cur
      .filter((_, j) => j !== i)
      .map((b) => (b.t !== 'spawn' && b.t !== 'check' && b.t !== 'end' && b.s === child ? { ...b, s: parent } : b));
    if (fails(cand)) cur = cand;
  }
  return cur;
}
