import { Signal } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/fdmapping';
import { load, store, fill, formatMaps, memoryOptions, type MemoryOptions } from '@tskern/mman';
import { ArenaFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { ProcessTable, type Process } from '@tskern/process';
import { ProcFs, mountProc, formatMounts, type ProcessDirectory } from '@tskern/procfs';
import { RamFs } from '@tskern/ramfs';
import { createSharedAnonymousFactory, createShmFs, mountShm } from '@tskern/shmfs';
import {
  coreSyscalls, fileSyscallHandlers, processMemory, SyscallDispatcher, type FileSyscallContext, type KernelHost,
  type Program, type SpawnOptions, type SyscallEnv, type SyscallHandler, type SysProcess,
} from '@tskern/syscall';
import { Credentials, FdTable, FsContext, Vfs, type FileSystem } from '@tskern/vfs';

/** How to assemble a kernel; every part has a default. */
export interface KernelOptions {
  /** The frame allocator every address space and page cache uses (default: a 1 GiB lazily-touched arena). */
  readonly frames?: FrameAllocator;
  /** The root file system (default: a ramfs). */
  readonly rootFs?: (frames: FrameAllocator) => FileSystem;
  /** vm.max_map_count (default 65530). */
  readonly maxMapCount?: number;
  /** vm.mmap_min_addr (default 4096). */
  readonly mmapMinAddr?: number;
  /** RLIMIT_NOFILE of every process (default 1024). */
  readonly fdLimit?: number;
  /**
   * More file systems to mount at start, in order (directories on the way
   * are made as root): `{ path: '/mnt/host', fs: (frames) => createHostFs(...) }`.
   */
  readonly mounts?: readonly KernelMount[];
}

/** A file system to mount when the kernel starts. */
export interface KernelMount {
  readonly path: string;
  /** The file system, or a maker that gets the kernel's frame allocator. */
  readonly fs: FileSystem | ((frames: FrameAllocator) => FileSystem);
  /** What /proc/mounts shows as the source (default: the fs type). */
  readonly source?: string;
}

type KProcess = Process<FdTable, FsContext>;

/**
 * The default tskern kernel: a frame allocator, a VFS with a ramfs root and
 * shmfs on /dev/shm, address spaces whose shared anonymous memory lives on an
 * internal shm mount, processes and the syscall layer, wired together.
 * Implements `KernelHost`, the interface a runtime drives.
 */
export class Kernel implements KernelHost {
  readonly frames: FrameAllocator;
  readonly memory: MemoryOptions;
  readonly vfs: Vfs;
  readonly processes: ProcessTable<FdTable, FsContext>;
  readonly syscalls: SyscallDispatcher;
  private readonly contexts = new WeakMap<object, FileSyscallContext>();
  private readonly mountTable: { source: string; target: string; type: string; options: string }[] = [];

  constructor(options: KernelOptions = {}) {
    const frames = options.frames ?? new ArenaFrameAllocator({ bytes: 1024 * 1024 * 1024 });
    this.frames = frames;
    const rootFs = options.rootFs?.(frames) ?? new RamFs({ frames });
    this.vfs = new Vfs(rootFs, { mappingIdentities: new FileMappingRegistry() });
    this.mountTable.push({ source: 'rootfs', target: '/', type: rootFs.type, options: 'rw' });
    const shm = createShmFs({ frames });
    const mounted = mountShm(this.vfs, shm);
    if (mounted < 0) throw new Error(`tskern: cannot mount /dev/shm (${mounted})`);
    this.mountTable.push({ source: 'tmpfs', target: '/dev/shm', type: shm.type, options: 'rw,nosuid,nodev' });
    const proc = new ProcFs({ processes: this.processDirectory() });
    const procMounted = mountProc(this.vfs, proc);
    if (procMounted < 0) throw new Error(`tskern: cannot mount /proc (${procMounted})`);
    this.mountTable.push({ source: 'proc', target: '/proc', type: proc.type, options: 'rw,nosuid,nodev,noexec' });
    for (const m of options.mounts ?? []) {
      const r = this.mount(m.path, typeof m.fs === 'function' ? m.fs(frames) : m.fs, m.source);
      if (r < 0) throw new Error(`tskern: cannot mount ${m.path} (${r})`);
    }
    this.memory = memoryOptions(frames, createSharedAnonymousFactory({ frames }), {
      ...(options.maxMapCount !== undefined ? { maxMapCount: options.maxMapCount } : {}),
      ...(options.mmapMinAddr !== undefined ? { mmapMinAddr: options.mmapMinAddr } : {}),
    });
    const vfs = this.vfs;
    this.processes = new ProcessTable<FdTable, FsContext>(this.memory, {
      newFiles: () => new FdTable(options.fdLimit),
      newFs: (cwd, umask) => {
        const fs = vfs.newFsContext(umask);
        const err = vfs.chdir({ fs, cred: Credentials.root() }, cwd);
        return err < 0 ? err : fs;
      },
    });
    const env: SyscallEnv = { processes: this.processes as unknown as SyscallEnv['processes'] };
    this.syscalls = new SyscallDispatcher(env, [
      coreSyscalls(),
      fileSyscallHandlers((proc) => this.fileContext(proc as unknown as KProcess)),
    ]);
  }

  /**
   * Mount `fs` at `path`, making the directories on the way as root (mode
   * 0755). Returns 0 or -errno.
   */
  mount(path: string, fs: FileSystem, source: string = fs.type): number {
    const r = this.vfs.mountCreating(path, fs);
    if (r === 0) this.mountTable.push({ source, target: path, type: fs.type, options: fs.readOnly ? 'ro' : 'rw' });
    return r;
  }

  /** What procfs knows of processes: the process table, seen through this interface. */
  private processDirectory(): ProcessDirectory {
    const live = (pid: number) => this.live(pid);
    return {
      pids: () => [...this.processes.all()].filter((p) => p.alive).map((p) => p.pid).sort((a, b) => a - b),
      maps: (pid) => {
        const p = live(pid);
        return p === undefined ? undefined : formatMaps(p.mm);
      },
      owner: (pid) => {
        const p = live(pid);
        return p === undefined ? undefined : { uid: p.cred.uid, gid: p.cred.gid };
      },
      status: (pid) => {
        const p = live(pid);
        if (p === undefined) return undefined;
        const name = p.program.slice(p.program.lastIndexOf('/') + 1);
        return { name, ppid: p.ppid, state: 'running', umask: p.fs.umask, uid: p.cred.uid, gid: p.cred.gid, groups: p.cred.groups };
      },
      mounts: (pid) => (live(pid) === undefined ? undefined : formatMounts(this.mountTable)),
      incarnation: (pid) => live(pid),
    };
  }

  /** The file context of a process, made on its first file syscall. */
  private fileContext(proc: KProcess): FileSyscallContext {
    let ctx = this.contexts.get(proc);
    if (ctx === undefined) {
      ctx = {
        mem: processMemory(proc as unknown as SysProcess),
        files: proc.files,
        fs: proc.fs,
        cred: new Credentials(proc.cred.uid, proc.cred.gid, proc.cred.groups),
        vfs: this.vfs,
        pid: proc.pid,
      };
      this.contexts.set(proc, ctx);
    }
    return ctx;
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

  /** Frames in use (a test checks it returns to zero once every process has exited). */
  framesInUse(): number {
    return this.frames.stats().usedFrames;
  }

  private live(pid: number): KProcess | undefined {
    const proc = this.processes.get(pid);
    return proc !== undefined && proc.alive ? proc : undefined;
  }
}

/** Assemble the default kernel. */
export function createKernel(options: KernelOptions = {}): Kernel {
  return new Kernel(options);
}

