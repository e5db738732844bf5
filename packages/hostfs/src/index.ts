/**
 * @tskern/hostfs — a file system over a real host directory through a
 * pluggable HostBackend, whose regular files keep a page cache in the
 * kernel's frames and implement mm-api's Mappable. This entry runs on any
 * JavaScript host (a browser supplies its own backend); the backend over
 * `node:fs` is `@tskern/hostfs/node`.
 */
export * from './host-backend';
export * from './faulty-host-backend';
export * from './guarded-host-backend';
export * from './host-fs';
export * from './host-inode';
export * from './host-directory';
export * from './host-symlink';
export * from './host-file';
export * from './page-cache';
export * from './page-io';
export * from './mount-host';
