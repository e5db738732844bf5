/**
 * The pipe cannot go on now: empty for a reader, full for a writer. `count`
 * bytes were moved before it stopped (a writer's partial write; always 0
 * for a reader, who returns as soon as it read anything). The syscall layer
 * answers `count || -EAGAIN` under O_NONBLOCK, else blocks on the pipe's
 * wait queue and resumes the call.
 */
export interface PipeWouldBlock {
  readonly kind: 'would-block';
  readonly count: number;
}

/**
 * A write found no reader: the caller raises SIGPIPE (as pipe_write's
 * send_sig) and the call returns `count` when bytes were written before the
 * last reader went, else -EPIPE.
 */
export interface PipeBroken {
  readonly kind: 'broken';
  readonly count: number;
}

/**
 * A read whose copy to the reader failed before any byte was taken (a bad
 * user buffer): the syscall answers -EFAULT and the bytes stay in the pipe,
 * as pipe_read does when copy_page_to_iter copies short.
 */
export interface PipeFault {
  readonly kind: 'fault';
}

/**
 * Copies `bytes` (the unread part of one pipe buffer, or the head of it) to
 * the reader at offset `at` of what it reads; false when the copy fails
 * (then nothing of that buffer is consumed).
 */
export type PipeReadCopy = (bytes: Uint8Array, at: number) => boolean;

/** A read: a byte count (0 is end of file: no writer is left), or would block. */
export type PipeReadResult = number | PipeWouldBlock;

/** A write: the byte count (all of it), would block (maybe after a partial write), or no reader. */
export type PipeWriteResult = number | PipeWouldBlock | PipeBroken;

/** The syscall's answer for a result that did not complete, without blocking: O_NONBLOCK's EAGAIN, or EPIPE. */
export function nonBlockingValue(r: PipeWouldBlock | PipeBroken, eagain: number, epipe: number): number {
  if (r.count > 0) return r.count;
  return r.kind === 'would-block' ? -eagain : -epipe;
}
