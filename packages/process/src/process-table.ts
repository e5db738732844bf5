import { Errno } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { AddressSpace, forkAddressSpace, mapStack, type MemoryOptions } from '@tskern/mman';
import { Process } from './process';
import type { Credentials, FdTableLike, FsContextLike } from './resources';

/** An executable image: what execve builds for the new program. */
export interface ProgramImage {
  /** Bytes of `[stack]`; default 8 MiB. */
  readonly stackSize?: number;
}

/** How the table makes per-process resources for a brand-new process. */
export interface ProcessResourceFactory<F extends FdTableLike, C extends FsContextLike> {
  newFiles(): F;
  newFs(cwd: string, umask: number): C | number;
}

const DEFAULT_STACK = 8 * 1024 * 1024;

/**
 * Every process of a kernel: spawn, fork, execve, exit and wait, as
 * kernel/fork.c, fs/exec.c and kernel/exit.c. Processes whose parent is gone
 * belong to the reaper (pid 1's role), which reaps them as they exit.
 */
export class ProcessTable<F extends FdTableLike, C extends FsContextLike> {
  private readonly processes = new Map<number, Process<F, C>>();
  private readonly programs = new Map<string, ProgramImage>();
  private nextPid = 2; // pid 1 is the reaper

  constructor(
    private readonly memory: MemoryOptions,
    private readonly resources: ProcessResourceFactory<F, C>,
  ) {}

  /** Register an executable image under a path. */
  registerProgram(path: string, image: ProgramImage): void {
    this.programs.set(path, image);
  }

  program(path: string): ProgramImage | undefined {
    return this.programs.get(path);
  }

  get(pid: number): Process<F, C> | undefined {
    return this.processes.get(pid);
  }

  /** Live and zombie processes. */
  all(): IterableIterator<Process<F, C>> {
    return this.processes.values();
  }

  /** Start a process from a registered program as a child of the reaper. Returns it or -errno. */
  spawn(path: string, cred: Credentials, cwd: string, umask: number): Process<F, C> | number {
    const image = this.programs.get(path);
    if (image === undefined) return -Errno.ENOENT;
    const fs = this.resources.newFs(cwd, umask);
    if (typeof fs === 'number') return fs;
    const mm = new AddressSpace(this.memory);
    const stack = mapStack(mm, image.stackSize ?? DEFAULT_STACK);
    const proc = new Process<F, C>(this.nextPid++, null, mm, stack, this.resources.newFiles(), fs, { ...cred, groups: [...cred.groups] }, path);
    this.processes.set(proc.pid, proc);
    return proc;
  }

  /** fork(2): a copy of `parent` with a copy-on-write address space. */
  fork(parent: Process<F, C>): Process<F, C> {
    invariant(parent.alive, 'fork of an exited process');
    const mm = forkAddressSpace(parent.mm);
    const child = new Process<F, C>(
      this.nextPid++, parent, mm, { ...parent.stack }, parent.files.fork(), parent.fs.fork(),
      { ...parent.cred, groups: [...parent.cred.groups] }, parent.program,
    );
    parent.children.add(child);
    this.processes.set(child.pid, child);
    return child;
  }

  /**
   * execve(2) of a registered program: every mapping is dropped, a new stack
   * is mapped, close-on-exec descriptors are closed, the rest stays.
   */
  exec(proc: Process<F, C>, path: string): number {
    const image = this.programs.get(path);
    if (image === undefined) return -Errno.ENOENT;
    proc.mm.releaseAll();
    proc.mm = new AddressSpace(this.memory);
    proc.stack = mapStack(proc.mm, image.stackSize ?? DEFAULT_STACK);
    proc.files.execCloseOnExec();
    proc.program = path;
    return 0;
  }

  /**
   * exit_group(2): memory and descriptors go at once; the process stays a
   * zombie for its parent to wait for, or is reaped now if the reaper is its
   * parent. Its children pass to the reaper.
   */
  exit(proc: Process<F, C>, status: number): void {
    if (!proc.alive) return;
    proc.mm.releaseAll();
    proc.files.closeAll();
    proc.fs.release?.();
    proc.state = 'zombie';
    proc.exitStatus = status & 0xff;
    for (const child of proc.children) {
      child.parent = null;
      if (!child.alive) this.processes.delete(child.pid);
    }
    proc.children.clear();
    if (proc.parent === null) this.processes.delete(proc.pid);
  }

  /**
   * wait4(2) for one child (pid > 0) or any (pid === -1). Returns the reaped
   * child, 0 when children exist but none has exited and WNOHANG is set, or
   * -errno: ECHILD without such a child, EAGAIN where Linux would block (a
   * tskern process never sleeps: the runtime retries after the child exits).
   */
  wait(parent: Process<F, C>, pid: number, noHang: boolean): Process<F, C> | number {
    let found = false;
    for (const child of parent.children) {
      if (pid !== -1 && child.pid !== pid) continue;
      found = true;
      if (!child.alive) {
        parent.children.delete(child);
        this.processes.delete(child.pid);
        return child;
      }
    }
    if (!found) return -Errno.ECHILD;
    return noHang ? 0 : -Errno.EAGAIN;
  }
}
