import { Errno, O } from '@tskern/abi';
import type { WaitQueue } from '@tskern/sched';
import type { FileOperations, Inode, OpenFileDescription } from '@tskern/vfs';
import { dropFifoPipe, fifoPipeOf } from './fifo-pipes';
import { PipeEndOperations } from './pipe-file';

/**
 * Open the FIFO `inode` (fs/pipe.c fifo_open): the first open makes the
 * inode's pipe, later ones share it. O_RDONLY takes a read end, O_WRONLY a
 * write end, O_RDWR both (never waits: it is its own partner). O_WRONLY |
 * O_NONBLOCK with no reader is ENXIO. Opening an end wakes those waiting
 * for a partner (wake_up_partner); the wait itself is the syscall layer's
 * (`fifoOpenWait`).
 */
export function openFifo(inode: Inode, flags: number): FileOperations | number {
  const fifo = fifoPipeOf(inode, true)!;
  const acc = flags & O.O_ACCMODE;
  if (acc === O.O_WRONLY && (flags & O.O_NONBLOCK) !== 0 && fifo.pipe.readers === 0) {
    dropFifoPipe(fifo);
    return -Errno.ENXIO;
  }
  const ends: ('read' | 'write')[] = acc === O.O_RDONLY ? ['read'] : acc === O.O_WRONLY ? ['write'] : ['read', 'write'];
  if (ends.includes('read')) fifo.readerOpens++;
  if (ends.includes('write')) fifo.writerOpens++;
  const ops = new PipeEndOperations(fifo, ends, () => dropFifoPipe(fifo));
  fifo.pipe.readWait.wakeAll();
  fifo.pipe.writeWait.wakeAll();
  return ops;
}

/** A FIFO open's wait: the queue a partner's open wakes, and whether it came. */
export interface FifoOpenWait {
  readonly queue: WaitQueue;
  ready(): boolean;
}

/**
 * What a blocking open of a FIFO waits for (wait_for_partner): a reader
 * with no writer waits until a writer opens, a writer with no reader until
 * a reader opens (the open counts change, so a partner that opened and
 * closed again still counts). Null when the open need not wait: O_RDWR,
 * O_NONBLOCK, a partner present, or not a FIFO.
 */
export function fifoOpenWait(file: OpenFileDescription): FifoOpenWait | null {
  const fifo = fifoPipeOf(file.inode);
  if (fifo === null || file.isPathOnly || (file.getFlags() & O.O_NONBLOCK) !== 0) return null;
  if (file.readable && file.writable) return null;
  if (file.readable) {
    if (fifo.pipe.writers > 0) return null;
    const seen = fifo.writerOpens;
    return { queue: fifo.pipe.readWait, ready: () => fifo.writerOpens !== seen };
  }
  if (fifo.pipe.readers > 0) return null;
  const seen = fifo.readerOpens;
  return { queue: fifo.pipe.writeWait, ready: () => fifo.readerOpens !== seen };
}
