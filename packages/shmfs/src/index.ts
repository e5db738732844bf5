/**
 * @tskern/shmfs — POSIX shared memory's kernel side: a tmpfs (RamFs) for
 * /dev/shm, and shared anonymous memory as unlinked files on an internal
 * shm mount (`/dev/zero (deleted)` in maps).
 */
export * from './shm-fs';
export * from './shmem-zero-setup';
export * from './sysv-shm-segment';
export * from './sysv-shm-namespace';
export * from './memparse';
export * from './tmpfs-parameters';
export * from './tmpfs-type';
