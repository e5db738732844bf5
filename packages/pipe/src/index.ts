/**
 * @tskern/pipe — Linux pipes (fs/pipe.c, pipe(7)) as files of the VFS: the
 * pipe ring, pipefs, pipe2's two open file descriptions, F_GETPIPE_SZ and
 * F_SETPIPE_SZ. Blocking is the caller's: the pipe answers "would block" and
 * offers wait queues (@tskern/sched) to wait on.
 */
export * from './pipe-result';
export * from './pipe';
export * from './pipe-fs';
export * from './pipe-file';
export * from './pipe-fcntl';
export { openFifo, fifoOpenWait, type FifoOpenWait } from './fifo';
