/**
 * A small fake KernelHost for the runner's tests: it records every syscall
 * (with the C string or bytes its pointer arguments held at call time), keeps
 * a sparse byte memory per process, and answers with simple defaults that a
 * test overrides per syscall with `on(name, handler)`.
 */
import { DEFAULT_STACK_LIMIT, Errno, MAP, PAGE_SIZE, PROT, SYS, Signal, syscallName, type FaultResult, type SignalNumber } from '@tskern/abi';
import type { Program, SpawnOptions } from '@tskern/syscall';
import type { ScenarioKernel } from '../src/index';

export interface CallRecord {
  readonly pid: number;
  readonly name: string;
  readonly args: number[];
  /** The C string at the path argument (open, unlink, mkdir, chown, execve). */
  readonly path?: string;
  /** The bytes write/pwrite were given. */
  readonly data?: string;
}

interface Region {
  start: number;
  end: number;
  read: boolean;
  write: boolean;
  /** The signal an access raises when it is not allowed (SIGSEGV, or SIGBUS to model past-EOF pages). */
  signal: SignalNumber;
}

export interface FakeProcess {
  readonly pid: number;
  alive: boolean;
  readonly options: SpawnOptions;
  regions: Region[];
  bytes: Map<number, number>;
  readonly stack: { start: number; end: number };
}

export interface CallContext {
  readonly pid: number;
  readonly args: number[];
  readonly kernel: FakeKernel;
  /** The default answer. */
  readonly fallback: () => number;
}

export type Handler = (call: CallContext) => number;

const STACK_TOP = 0x7ffff0000000;
const STACK_SIZE = DEFAULT_STACK_LIMIT;
const PATH_ARG: Record<string, number> = { open: 0, unlink: 0, mkdir: 0, chown: 0, execve: 0 };

export class FakeKernel implements ScenarioKernel {
  readonly calls: CallRecord[] = [];
  readonly programs = new Map<string, Program>();
  readonly procs = new Map<number, FakeProcess>();
  readonly spawned: { program: string; options: SpawnOptions; pid: number }[] = [];
  private readonly handlers = new Map<string, Handler>();
  private nextPid = 100;
  private nextFd = 3;
  private nextMap = 0x10000000;

  /** Answer syscall `name` with `handler` from now on. */
  on(name: keyof typeof SYS, handler: Handler): this {
    this.handlers.set(name, handler);
    return this;
  }

  /** The calls other than the runner's setup (after the first spawn of uid 1000). */
  get scenarioCalls(): CallRecord[] {
    const p1 = this.spawned.find((s) => s.options.uid === 1000)?.pid;
    const first = this.calls.findIndex((c) => c.pid === p1);
    return first < 0 ? [] : this.calls.slice(first);
  }

  /** The syscall names, for compact assertions. */
  names(calls = this.scenarioCalls): string[] {
    return calls.map((c) => c.name);
  }

  proc(pid: number): FakeProcess {
    const p = this.procs.get(pid);
    if (!p) throw new Error(`fake: no process ${pid}`);
    return p;
  }

  /** Map [start, start+len) in pid with the given access. */
  map(pid: number, start: number, len: number, access: { read?: boolean; write?: boolean; signal?: SignalNumber } = {}): void {
    const p = this.proc(pid);
    p.regions.push({
      start,
      end: start + len,
      read: access.read ?? true,
      write: access.write ?? true,
      signal: access.signal ?? Signal.SIGSEGV,
    });
  }

  /** Read a C string from pid's memory. */
  cstring(pid: number, addr: number): string {
    const p = this.proc(pid);
    const bytes: number[] = [];
    for (let a = addr; ; a++) {
      const b = p.bytes.get(a) ?? 0;
      if (b === 0) break;
      bytes.push(b);
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  /** Write bytes into pid's memory regardless of protections (a kernel copy-out). */
  copyOut(pid: number, addr: number, bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const p = this.proc(pid);
    data.forEach((b, i) => p.bytes.set(addr + i, b));
  }

  private bytesAt(pid: number, addr: number, len: number): Uint8Array {
    const p = this.proc(pid);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = p.bytes.get(addr + i) ?? 0;
    return out;
  }

  // KernelHost

  registerProgram(path: string, program: Program): void {
    this.programs.set(path, program);
  }

  spawn(program: string, options: SpawnOptions = {}): number {
    if (!this.programs.has(program)) throw new Error(`fake: spawn of unregistered ${program}`);
    const pid = this.nextPid++;
    const stack = { start: STACK_TOP - STACK_SIZE, end: STACK_TOP };
    this.procs.set(pid, { pid, alive: true, options, regions: [], bytes: new Map(), stack });
    this.map(pid, stack.start, STACK_SIZE);
    this.spawned.push({ program, options, pid });
    return pid;
  }

  /** Results are the handlers' numbers: exact as they are. */
  syscallExact(pid: number, nr: number, ...raw: number[]): number {
    return this.syscall(pid, nr, ...raw);
  }

  syscall(pid: number, nr: number, ...raw: number[]): number {
    const name = syscallName(nr);
    const args = raw.map((a) => a ?? 0);
    const pathArg = PATH_ARG[name];
    const record: CallRecord = {
      pid,
      name,
      args,
      ...(pathArg !== undefined ? { path: this.cstring(pid, args[pathArg]!) } : {}),
      ...(name === 'write' || name === 'pwrite64'
        ? { data: new TextDecoder().decode(this.bytesAt(pid, args[1]!, args[2]!)) }
        : {}),
    };
    this.calls.push(record);
    if (!this.proc(pid).alive) throw new Error(`fake: syscall ${name} by dead process ${pid}`);
    const fallback = (): number => this.defaultAnswer(pid, name, args);
    const handler = this.handlers.get(name);
    return handler ? handler({ pid, args, kernel: this, fallback }) : fallback();
  }

  private defaultAnswer(pid: number, name: string, a: number[]): number {
    const p = this.proc(pid);
    switch (name) {
      case 'exit_group':
        p.alive = false;
        return 0;
      case 'wait4':
        return a[0]!;
      case 'fork': {
        const child = this.nextPid++;
        this.procs.set(child, {
          pid: child,
          alive: true,
          options: p.options,
          regions: p.regions.map((r) => ({ ...r })),
          bytes: new Map(p.bytes),
          stack: p.stack,
        });
        return child;
      }
      case 'execve':
        p.regions = [];
        p.bytes = new Map();
        this.map(pid, p.stack.start, STACK_SIZE);
        return 0;
      case 'open':
      case 'dup':
        return this.nextFd++;
      case 'mmap': {
        const len = Math.ceil(a[1]! / PAGE_SIZE) * PAGE_SIZE;
        if (len <= 0) return -Errno.EINVAL;
        let addr = a[0]!;
        if (!(a[3]! & MAP.MAP_FIXED)) {
          addr = this.nextMap;
          this.nextMap += len + PAGE_SIZE;
        }
        const prot = a[2]!;
        this.map(pid, addr, len, { read: (prot & PROT.PROT_READ) !== 0, write: (prot & PROT.PROT_WRITE) !== 0 });
        return addr;
      }
      case 'fstat':
        return 0;
      case 'read':
      case 'pread64':
        return 0;
      case 'write':
      case 'pwrite64':
        return a[2]!;
      default:
        return 0;
    }
  }

  /** 0, or the signal of the first faulting byte; `done` is the count of bytes before it. */
  private check(pid: number, addr: number, len: number, write: boolean): { signal: FaultResult; done: number } {
    const p = this.proc(pid);
    for (let i = 0; i < len; i++) {
      const at = addr + i;
      const r = [...p.regions].reverse().find((x) => at >= x.start && at < x.end);
      if (!r) return { signal: Signal.SIGSEGV, done: i };
      if (write ? !r.write : !r.read) return { signal: r.signal, done: i };
    }
    return { signal: 0, done: len };
  }

  load(pid: number, addr: number, dst: Uint8Array): FaultResult {
    const { signal, done } = this.check(pid, addr, dst.length, false);
    dst.set(this.bytesAt(pid, addr, done));
    return signal;
  }

  store(pid: number, addr: number, src: Uint8Array): FaultResult {
    const { signal, done } = this.check(pid, addr, src.length, true);
    this.copyOut(pid, addr, src.subarray(0, done));
    return signal;
  }

  fill(pid: number, addr: number, length: number, byte: number): FaultResult {
    const { signal, done } = this.check(pid, addr, length, true);
    this.copyOut(pid, addr, new Uint8Array(done).fill(byte));
    return signal;
  }

  stack(pid: number): { start: number; end: number } {
    return this.proc(pid).stack;
  }

  isAlive(pid: number): boolean {
    return this.procs.get(pid)?.alive ?? false;
  }
}
