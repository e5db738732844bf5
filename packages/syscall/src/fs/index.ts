/**
 * File syscalls: handlers `(task, a0, ...)` over the VFS, reaching the
 * caller's memory, fd table, fs context and credentials through its task.
 */
export * from './attributes';
export * from './cwd';
export * from './fd-ops';
export * from './getdents';
export * from './names';
export * from './open';
export * from './read-write';
export * from './stat';
export * from './file-locks';
export * from './link';
export * from './fallocate';
export * from './fadvise';
export * from './utimes';
export * from './statfs';
export * from './mount';
