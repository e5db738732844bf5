/**
 * @tskern/abi — the Linux x86-64 ABI that tskern speaks: errno values, the
 * flags of mmap/mprotect/msync/mremap/madvise/open/lseek, syscall numbers, the
 * `struct stat` layout, and helpers to parse and format them. This is the one
 * source of truth: no other package spells a flag value.
 */
export * from './errno';
export * from './neg-errno';
export * from './mman';
export * from './fcntl';
export * from './signal';
export * from './syscalls';
export * from './flags';
export * from './clone';
export * from './locks-and-limits';
export * from './shm-dir';
export * from './file-offset';
export * from './ipc';
export * from './exec-limits';
export * from './capability';
export * from './mount';
