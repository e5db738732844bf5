/**
 * @tskern/locks — file locks as fs/locks.c keeps them: POSIX record locks
 * and open-file-description locks over byte ranges (`RecordLockTable`), and
 * flock(2) whole-file locks (`FlockTable`), with waiting requests, wake-ups
 * in order and deadlock detection. Knows nothing of tasks or file
 * descriptors: owners, descriptions and inodes are objects the caller keeps.
 */
export * from './lock-owner';
export * from './record-lock';
export * from './owner-ranges';
export * from './pending-lock';
export * from './record-lock-table';
export * from './flock-table';
