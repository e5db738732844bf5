/**
 * tskern as a runtime drives it: a kernel, one process, syscalls by number
 * with raw arguments, loads and stores into the process's memory.
 */
import { errnoName, MAP, PAGE_SIZE, PROT, SYS, syscallName } from '@tskern/abi';
import { createKernel, type Kernel } from '@tskern/kernel';
import { ArenaFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';

/** A syscall answered an error the case cannot do without: the row says so instead of crashing. */
export class Unavailable extends Error {
  constructor(readonly errno: string, readonly call: string) {
    super(`unavailable (${errno}${errno === 'ENOSYS' ? '' : ` from ${call}`})`);
  }
}

/** The note of a case that could not run on tskern, or rethrow a real failure. */
export function unavailableNote(e: unknown): string {
  if (e instanceof Unavailable) return e.message;
  throw e;
}

const encoder = new TextEncoder();

export const RW = PROT.PROT_READ | PROT.PROT_WRITE;
export const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

/** A kernel with one spawned process. */
export class Proc {
  readonly k: Kernel;
  readonly pid: number;
  /** A page at the top of the stack for path arguments. */
  readonly scratch: number;
  private readonly one = new Uint8Array([1]);

  constructor(k: Kernel, pid: number) {
    this.k = k;
    this.pid = pid;
    this.scratch = k.stack(pid).end - PAGE_SIZE;
  }

  /** A fresh kernel (default: a 256 MiB arena of frames, lazily touched) and a process in it. */
  static boot(frames: FrameAllocator = new ArenaFrameAllocator({ bytes: 256 * 1024 * 1024 })): Proc {
    const k = createKernel({ frames });
    k.registerProgram('/bench', {});
    const pid = k.spawn('/bench');
    if (pid < 0) throw new Error(`spawn: ${errnoName(-pid)}`);
    return new Proc(k, pid);
  }

  /** A raw syscall (the result, possibly -errno). */
  raw(nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    return this.k.syscall(this.pid, nr, a0, a1, a2, a3, a4, a5);
  }

  /** A syscall that must succeed: an error throws Unavailable. */
  sys(nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    const r = this.k.syscall(this.pid, nr, a0, a1, a2, a3, a4, a5);
    if (r < 0 && r > -4096) throw new Unavailable(errnoName(-r), syscallName(nr));
    return r;
  }

  /** Write a NUL-terminated string at `addr` (default: the scratch page); returns the address. */
  cstring(text: string, addr = this.scratch): number {
    const bytes = encoder.encode(`${text}\0`);
    this.checkSignal(this.k.store(this.pid, addr, bytes), 'store');
    return addr;
  }

  /** A CPU store of one byte. */
  touch(addr: number): void {
    this.checkSignal(this.k.store(this.pid, addr, this.one), 'store');
  }

  /** A child made by fork(2), sharing this kernel. */
  fork(): Proc {
    return new Proc(this.k, this.sys(SYS.fork));
  }

  /** mmap of private anonymous read-write memory. */
  mmapAnon(bytes: number, prot: number = RW): number {
    return this.sys(SYS.mmap, 0, bytes, prot, ANON, -1, 0);
  }

  /**
   * `n` mappings that cannot merge: a region of n pages, PROT_READ and
   * PROT_NONE alternating (as bench.c's make_mappings). Returns its address.
   */
  makeMappings(n: number): number {
    const base = this.mmapAnon(n * PAGE_SIZE, PROT.PROT_READ);
    for (let i = 1; i < n; i += 2) this.sys(SYS.mprotect, base + i * PAGE_SIZE, PAGE_SIZE, PROT.PROT_NONE);
    return base;
  }

  private checkSignal(sig: number, what: string): void {
    if (sig !== 0) throw new Error(`${what} raised signal ${sig}`);
  }
}

