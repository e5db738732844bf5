
import { load, store, fill, formatMaps, memoryOptions, standaloneSharedAnonymous, type MemoryOptions } from '@tskern/mman';
import { ArenaFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { ProcessTable } from '@tskern/process';
import {
  coreSyscalls, SyscallDispatcher, type KernelHost, type MmapFdTable, type Program, type SpawnOptions,
  type SyscallEnv, type SyscallHandler,
} from '@tskern/syscall';
import type { FsContextLike } from '@tskern/process';
import { Signal } from '@tskern/abi';

/** How to assemble a kernel; every part has a default. */
export interface KernelOptions {
  /** The frame allocator every address space and page cache uses (default: a 1 GiB lazily-touched arena). */
  readonly frames?: FrameAllocator;
  /** vm.max_map_count (default 65530). */
  readonly maxMapCount?: number;
  /** vm.mmap_min_addr (default 4096). */
  readonly mmapMinAddr?: number;
}

/** A placeholder fd table until the VFS is wired: no descriptors at all. */
class NoFiles implements MmapFdTable {
  get(): undefined {
    return undefined;
  }
  fork(): this {
    return this;
  }
  execCloseOnExec(): void {}
  closeAll(): void {}
}

class NoFs implements FsContextLike {
  fork(): this {
    return this;
  }
}

/**
 * The default tskern kernel: a frame allocator, address spaces, processes and
 * the syscall layer, wired together. Implements `KernelHost`, the interface a
 * runtime drives.
 */
export class Kernel implements KernelHost {
  readonly frames: FrameAllocator;
  readonly memory: MemoryOptions;
  readonly processes: ProcessTable<MmapFdTable, FsContextLike>;
  readonly syscalls: SyscallDispatcher;

  constructor(options: KernelOptions = {}) {
    this.frames = options.frames ?? new ArenaFrameAllocator({ bytes: 1024 * 1024 * 1024 });
    this.memory = memoryOptions(this.frames, standaloneSharedAnonymous(this.frames), {
      ...(options.maxMapCount !== undefined ? { maxMapCount: options.maxMapCount } : {}),
      ...(options.mmapMinAddr !== undefined ? { mmapMinAddr: options.mmapMinAddr } : {}),
    });
    this.processes = new ProcessTable<MmapFdTable, FsContextLike>(this.memory, {
      newFiles: () => new NoFiles(),
      newFs: () => new NoFs(),
    });
    const env: SyscallEnv = { processes: this.processes };
    this.syscalls = new SyscallDispatcher(env, [coreSyscalls()]);
  }

  spawn(program: string, options: SpawnOptions = {}): number {
    const proc = this.processes.spawn(
      program,
      { uid: options.uid ?? 0, gid: options.gid ?? 0, groups: [] },
      options.cwd ?? '/',
      options.umask ?? 0o022,
    );
    return typeof proc === 'number' ? proc : proc.pid;
  }

  syscall(pid: number, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    return this.syscalls.call(pid, nr, a0, a1, a2, a3, a4, a5);
  }

  /** Add or replace a syscall handler. */
  registerSyscall(nr: number, handler: SyscallHandler): void {
    this.syscalls.register(nr, handler);
  }

  load(pid: number, addr: number, dst: Uint8Array): number {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : load(proc.mm, addr, dst, 0, dst.length);
  }

  store(pid: number, addr: number, src: Uint8Array): number {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : store(proc.mm, addr, src, 0, src.length);
  }

  fill(pid: number, addr: number, length: number, byte: number): number {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : fill(proc.mm, addr, length, byte & 0xff);
  }

  stack(pid: number): { start: number; end: number } {
    const proc = this.live(pid);
    return proc === undefined ? { start: 0, end: 0 } : { ...proc.stack };
  }

  registerProgram(path: string, program: Program): void {
    this.processes.registerProgram(path, program);
  }

  isAlive(pid: number): boolean {
    return this.live(pid) !== undefined;
  }

  /**
   * TEMPORARY until procfs lands: the text of /proc/[pid]/maps straight from
   * the memory manager. The scenario runner reads procfs when it exists.
   */
  procMaps(pid: number): string {
    const proc = this.live(pid);
    return proc === undefined ? '' : formatMaps(proc.mm);
  }

  /** Frames in use (a test checks it returns to zero once every process has exited). */
  framesInUse(): number {
    return this.frames.stats().usedFrames;
  }

  private live(pid: number) {
    const proc = this.processes.get(pid);
    return proc !== undefined && proc.alive ? proc : undefined;
  }
}

/** Assemble the default kernel. */
export function createKernel(options: KernelOptions = {}): Kernel {
  return new Kernel(options);
}

