import type { AddressSpace } from '@tskern/mman';
import type { Credentials, FdTableLike, FsContextLike } from './resources';

/** Process states: running until exit, then a zombie until its parent waits (or the reaper reaps it). */
export type ProcessState = 'running' | 'zombie';

/**
 * A process: an address space, an fd table, an fs context and credentials.
 * Compare Linux's task_struct with its mm, files, fs and cred.
 */
export class Process<F extends FdTableLike = FdTableLike, C extends FsContextLike = FsContextLike> {
  state: ProcessState = 'running';
  exitStatus = 0;
  readonly children = new Set<Process<F, C>>();

  constructor(
    readonly pid: number,
    public parent: Process<F, C> | null,
    public mm: AddressSpace,
    public stack: { start: number; end: number },
    public files: F,
    public fs: C,
    public cred: Credentials,
    /** The program image path the process runs. */
    public program: string,
  ) {}

  get alive(): boolean {
    return this.state === 'running';
  }

  /** The parent's pid, or 1 for a child of the reaper (as getppid after reparenting to init). */
  get ppid(): number {
    return this.parent?.pid ?? 1;
  }
}
