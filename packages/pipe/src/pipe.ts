import { Errno, PAGE_SIZE } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { WaitQueue } from '@tskern/sched';
import type { PipeFault, PipeReadCopy, PipeReadResult, PipeWriteResult } from './pipe-result';

/** Writes of at most this many bytes are atomic (PIPE_BUF of limits.h). */
export const PIPE_BUF = 4096;
/** Default ring size in pages (PIPE_DEF_BUFFERS): 65536 bytes. */
export const PIPE_DEF_BUFFERS = 16;
/** /proc/sys/fs/pipe-max-size: what an unprivileged F_SETPIPE_SZ may ask for. */
export const PIPE_MAX_SIZE = 1_048_576;

/** poll(2) event bits a pipe reports (include/uapi/asm-generic/poll.h). */
export const PipePoll = {
  POLLIN: 0x1,
  POLLOUT: 0x4,
  POLLERR: 0x8,
  POLLHUP: 0x10,
  POLLRDNORM: 0x40,
  POLLWRNORM: 0x100,
} as const;

/** One slot of the ring: a page and the bytes of it still unread (struct pipe_buffer). */
interface PipeBuffer {
  readonly page: Uint8Array;
  offset: number;
  len: number;
  /** Written under O_DIRECT (PIPE_BUF_FLAG_PACKET): never merged into, read whole or not at all. */
  readonly packet: boolean;
}

/** How a write goes on: options of `Pipe.write`. */
export interface PipeWriteOptions {
  /** The writer's file has O_DIRECT: packet mode (pipe(2), "packet mode"). */
  readonly packet?: boolean;
  /**
   * The write continues a call that blocked: it does not merge into the last
   * buffer again (pipe_write tries the merge once, before its loop).
   */
  readonly resumed?: boolean;
}

/**
 * A pipe (Linux's `struct pipe_inode_info`, fs/pipe.c): a ring of page-sized
 * buffers, 16 by default. A write first tops up the last buffer with its
 * sub-page tail when it fits, then fills fresh pages; a slot is free again
 * only when its page is read to the end, so a full pipe stays full until a
 * whole page is read, as on Linux. Writes of at most PIPE_BUF bytes go in
 * whole or not at all.
 *
 * The pipe never blocks: it answers "would block" and the syscall layer
 * waits on `readWait` (readers) or `writeWait` (writers), which the pipe
 * wakes when data or room comes, or an end closes.
 */
export class Pipe {
  private readonly ring: PipeBuffer[] = [];
  private maxUsage = PIPE_DEF_BUFFERS;
  private openReaders = 0;
  private openWriters = 0;
  /** Readers wait here for data (rd_wait). */
  readonly readWait: WaitQueue;
  /** Writers wait here for room (wr_wait). */
  readonly writeWait: WaitQueue;

  constructor(readonly name: string) {
    this.readWait = new WaitQueue(`${name} readers`);
    this.writeWait = new WaitQueue(`${name} writers`);
  }

  get readers(): number {
    return this.openReaders;
  }

  get writers(): number {
    return this.openWriters;
  }

  /** Bytes waiting to be read (FIONREAD). */
  get available(): number {
    let n = 0;
    for (const b of this.ring) n += b.len;
    return n;
  }

  /** Capacity in bytes (F_GETPIPE_SZ). */
  get capacity(): number {
    return this.maxUsage * PAGE_SIZE;
  }

  private get full(): boolean {
    return this.ring.length >= this.maxUsage;
  }

  /** An end was opened (or its description duplicated into a new open): count it. */
  openEnd(end: 'read' | 'write'): void {
    if (end === 'read') this.openReaders++;
    else this.openWriters++;
  }

  /**
   * An end's last description was released (pipe_release): when one side is
   * now gone, wake everyone, so readers see EOF and writers EPIPE.
   */
  closeEnd(end: 'read' | 'write'): void {
    if (end === 'read') {
      invariant(this.openReaders > 0, 'closing a read end of a pipe with no readers');
      this.openReaders--;
    } else {
      invariant(this.openWriters > 0, 'closing a write end of a pipe with no writers');
      this.openWriters--;
    }
    if (this.openReaders === 0 || this.openWriters === 0) {
      this.readWait.wakeAll();
      this.writeWait.wakeAll();
    }
  }

  /**
   * pipe_read: up to `length` bytes; returns as soon as it read anything. A
   * packet buffer is read whole: what does not fit is discarded. Empty: 0
   * when no writer is left (EOF), else would block.
   */
  read(dst: Uint8Array, dstOffset: number, length: number): PipeReadResult {
    return this.readWith(length, (bytes, at) => {
      dst.set(bytes, dstOffset + at);
      return true;
    }) as PipeReadResult;
  }

  /**
   * pipe_read with the copy to the reader as `copy` (copy_page_to_iter): a
   * buffer is consumed only when it was copied whole, so when a copy fails
   * the read ends there with what earlier buffers gave, or a fault when
   * they gave nothing — the pipe keeps the bytes that were not delivered.
   */
  readWith(length: number, copy: PipeReadCopy): PipeReadResult | PipeFault {
    if (length === 0) return 0;
    const wasFull = this.full;
    let total = 0;
    let fault = false;
    while (total < length) {
      const buf = this.ring[0];
      if (buf === undefined) break;
      const chars = Math.min(buf.len, length - total);
      if (!copy(buf.page.subarray(buf.offset, buf.offset + chars), total)) {
        fault = true;
        break;
      }
      total += chars;
      buf.offset += chars;
      buf.len -= chars;
      if (buf.packet) {
        buf.len = 0;
        this.ring.shift();
        break;
      }
      if (buf.len === 0) this.ring.shift();
    }
    this.check();
    if (total > 0) {
      if (wasFull && !this.full) this.writeWait.wakeAll();
      return total;
    }
    if (fault) return { kind: 'fault' };
    if (this.openWriters === 0) return 0;
    return { kind: 'would-block', count: 0 };
  }

  /**
   * pipe_write: all of `length` bytes, or as much as fits and would block
   * for the rest; a write of at most PIPE_BUF bytes is never split. No
   * reader: broken (SIGPIPE), also after a partial write.
   */
  write(src: Uint8Array, srcOffset: number, length: number, options: PipeWriteOptions = {}): PipeWriteResult {
    if (length === 0) return 0;
    if (this.openReaders === 0) return { kind: 'broken', count: 0 };
    const wasEmpty = this.ring.length === 0;
    let done = 0;
    // Top up the last buffer with the sub-page tail of the write, when it fits whole.
    const chars = length & (PAGE_SIZE - 1);
    const last = this.ring[this.ring.length - 1];
    if (options.resumed !== true && chars !== 0 && last !== undefined && !last.packet && last.offset + last.len + chars <= PAGE_SIZE) {
      last.page.set(src.subarray(srcOffset, srcOffset + chars), last.offset + last.len);
      last.len += chars;
      done = chars;
    }
    while (done < length && !this.full) {
      const n = Math.min(PAGE_SIZE, length - done);
      const page = new Uint8Array(PAGE_SIZE);
      page.set(src.subarray(srcOffset + done, srcOffset + done + n));
      this.ring.push({ page, offset: 0, len: n, packet: options.packet === true });
      done += n;
    }
    this.check();
    if (done > 0 && wasEmpty) this.readWait.wakeAll();
    if (done === length) return done;
    return { kind: 'would-block', count: done };
  }

  /**
   * F_SETPIPE_SZ (pipe_set_size): the size rounds up to a power of two of
   * pages; above /proc/sys/fs/pipe-max-size only for a privileged caller
   * (CAP_SYS_RESOURCE); EBUSY when the data would not fit. Returns the new
   * capacity in bytes.
   */
  setCapacity(bytes: number, privileged: boolean): number {
    const size = roundPipeSize(bytes);
    if (size === 0) return -Errno.EINVAL;
    const slots = size / PAGE_SIZE;
    if (slots > this.maxUsage && size > PIPE_MAX_SIZE && !privileged) return -Errno.EPERM;
    if (slots < this.ring.length) return -Errno.EBUSY;
    const grew = slots > this.maxUsage;
    this.maxUsage = slots;
    if (grew) this.writeWait.wakeAll();
    return size;
  }

  /** pipe_poll: the events ready for the read or the write end. */
  poll(end: 'read' | 'write'): number {
    let mask = 0;
    if (end === 'read') {
      if (this.ring.length > 0) mask |= PipePoll.POLLIN | PipePoll.POLLRDNORM;
      if (this.openWriters === 0) mask |= PipePoll.POLLHUP;
    } else {
      if (!this.full) mask |= PipePoll.POLLOUT | PipePoll.POLLWRNORM;
      if (this.openReaders === 0) mask |= PipePoll.POLLERR;
    }
    return mask;
  }

  private check(): void {
    checkInvariants(() => {
      invariant(this.ring.length <= this.maxUsage, 'pipe ring over its size');
      for (const b of this.ring) invariant(b.len > 0 && b.offset + b.len <= PAGE_SIZE, 'empty or overflowing pipe buffer in the ring');
    });
  }
}

/** round_pipe_size: at least a page, a power of two of bytes; 0 (invalid) above 2^31. */
export function roundPipeSize(bytes: number): number {
  if (bytes > 2 ** 31) return 0;
  if (bytes <= PAGE_SIZE) return PAGE_SIZE;
  return 2 ** Math.ceil(Math.log2(bytes));
}
