/**
 * @tskern/syscall — the syscall layer: Linux x86-64 numbers with raw
 * arguments, negative errno results, pointer arguments copied in and out of
 * user memory.
 */
export * from './host';
export * from './user-memory';
export * from './args';
export * from './process-types';
export { SyscallDispatcher } from './dispatcher';
export { coreSyscalls } from './table';
export { processMemory } from './process-memory';
export { fileSyscallHandlers } from './file-table';
export { fileSyscalls, type FileSyscall, type FileSyscallContext } from './fs';
