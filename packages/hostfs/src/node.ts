/**
 * @tskern/hostfs/node — the HostBackend over Node's `fs`, kept out of the
 * main entry so that a browser bundle of hostfs (and of every kernel) never
 * pulls in `node:fs` or `Buffer`.
 */
export * from './node-host-backend';
export * from './node-beneath-resolver';
export * from './node-errno';
export * from './node-proc-fd-resolver';
export * from './node-lstat-walk-resolver';
