/**
 * @tskern/mm-api — the small interface package between the memory manager
 * (`@tskern/mman`) and everything that can be mapped (ramfs, shmfs, hostfs,
 * shared anonymous memory). Both sides import it; neither imports the other.
 * The shape follows gVisor's `memmap` package, down to the one piece of code
 * every mappable shares: its `MappingSet`.
 */
export * from './mappable';
export * from './mapping-space';
export * from './mapping-set';
export * from './mapping-identity';
export * from './mmap-source';
export * from './memory-report';
export * from './physical-pages';
export * from './user-fault';
export * from './memory-charge';
