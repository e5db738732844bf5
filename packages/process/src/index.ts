/**
 * @tskern/process — processes and their lifecycle: spawn, fork, execve, exit
 * and wait over `@tskern/mman` address spaces and pluggable fd tables and fs
 * contexts.
 */
export { Process, type ProcessState } from './process';
export { ProcessTable, type ProgramImage, type ProcessResourceFactory } from './process-table';
export type { Credentials, FdTableLike, FsContextLike } from './resources';
