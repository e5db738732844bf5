import { Errno, O, PAGE_SIZE, S, SEEK } from '@tskern/abi';
import { displayPath } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { PIPE_MAX_SIZE, PipePoll } from './pipe';
import { createPipe, pipeEndOf, pipeRead, pipeWrite, type PipeFiles } from './pipe-file';
import { PipeFcntl, pipeFcntl } from './pipe-fcntl';
import { PipeFs } from './pipe-fs';
import { nonBlockingValue } from './pipe-result';

let now = 1000;
const fs = new PipeFs({ clock: () => now });

function make(flags = 0): PipeFiles {
  const p = createPipe(fs, flags, { uid: 1000, gid: 100 });
  if (typeof p === 'number') throw new Error(`createPipe: ${p}`);
  return p;
}

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

describe('pipe2', () => {
  it('makes a read end and a write end of one FIFO inode, as fstat shows', () => {
    const { read, write, cloexec } = make();
    expect(cloexec).toBe(false);
    expect(read.readable && !read.writable).toBe(true);
    expect(write.writable && !write.readable).toBe(true);
    const st = read.stat();
    expect(st.mode).toBe(S.S_IFIFO | 0o600);
    expect([st.uid, st.gid, st.nlink, st.size, st.blksize]).toEqual([1000, 100, 1, 0, PAGE_SIZE]);
    expect(write.stat().ino).toBe(st.ino);
    expect(displayPath(read.path)).toBe(`pipe:[${st.ino}]`);
  });

  it('gives O_NONBLOCK to both ends, O_DIRECT to the write end only, and refuses other flags', () => {
    const { read, write, cloexec } = make(O.O_NONBLOCK | O.O_DIRECT | O.O_CLOEXEC);
    expect(cloexec).toBe(true);
    expect(read.getFlags() & (O.O_NONBLOCK | O.O_DIRECT | O.O_ACCMODE)).toBe(O.O_NONBLOCK | O.O_RDONLY);
    expect(write.getFlags() & (O.O_NONBLOCK | O.O_DIRECT | O.O_ACCMODE)).toBe(O.O_NONBLOCK | O.O_DIRECT | O.O_WRONLY);
    expect(createPipe(fs, O.O_APPEND, { uid: 0, gid: 0 })).toBe(-Errno.EINVAL);
    expect(createPipe(fs, O.O_EXCL, { uid: 0, gid: 0 })).toBe(-Errno.ENOPKG);
  });

  it('is a stream: lseek is ESPIPE, mmap ENODEV, and reads do not move the position', () => {
    const { read, write } = make();
    expect(read.isStream).toBe(true);
    expect(read.lseek(0, SEEK.SEEK_CUR)).toBe(-Errno.ESPIPE);
    // A pipe has no mmap: its source names no mappable, and mman answers ENODEV in do_mmap's order.
    expect(write.mmapSource()).toMatchObject({ mappable: null, identity: null });
    expect(write.write(bytes(3), 0, 3)).toBe(3);
    expect(read.read(new Uint8Array(3), 0, 3)).toBe(3);
    expect(read.pos).toBe(0);
  });
});

describe('pipe data', () => {
  it('reads what was written in order, returning as soon as anything was read', () => {
    const { read, write } = make();
    const w = pipeEndOf(write)!;
    const r = pipeEndOf(read)!;
    expect(w.end).toBe('write');
    expect(pipeWrite(write, w, new Uint8Array([1, 2, 3]), 0, 3)).toBe(3);
    expect(pipeWrite(write, w, new Uint8Array([4, 5]), 0, 2)).toBe(2);
    const dst = new Uint8Array(10);
    const into = (bytes: Uint8Array, at: number): boolean => {
      dst.set(bytes, at);
      return true;
    };
    expect(pipeRead(r, 10, into)).toBe(5);
    expect([...dst.subarray(0, 5)]).toEqual([1, 2, 3, 4, 5]);
    expect(pipeRead(r, 10, into)).toEqual({ kind: 'would-block', count: 0 });
    expect(read.read(dst, 0, 10)).toBe(-Errno.EAGAIN);
    expect(pipeRead(r, 0, into)).toBe(0);
  });

  it('keeps the bytes a failed copy did not deliver: a fault first, else the count before it (pipe_read)', () => {
    const { read, write } = make();
    const w = pipeEndOf(write)!;
    const r = pipeEndOf(read)!;
    expect(pipeWrite(write, w, bytes(PAGE_SIZE), 0, PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(pipeWrite(write, w, new Uint8Array([7, 8, 9]), 0, 3)).toBe(3);
    expect(pipeRead(r, 4, () => false)).toEqual({ kind: 'fault' });
    expect(r.pipe.available).toBe(PAGE_SIZE + 3);
    // The first buffer copies, the second fails: the count is the first's, the second stays.
    let copies = 0;
    expect(pipeRead(r, PAGE_SIZE + 3, () => copies++ === 0)).toBe(PAGE_SIZE);
    const dst = new Uint8Array(3);
    expect(read.read(dst, 0, 3)).toBe(3);
    expect([...dst]).toEqual([7, 8, 9]);
  });

  it('reads end of file once no writer is left, after the data', () => {
    const { read, write } = make();
    write.write(bytes(4), 0, 4);
    write.decRef();
    const dst = new Uint8Array(8);
    expect(read.read(dst, 0, 8)).toBe(4);
    expect(read.read(dst, 0, 8)).toBe(0);
    expect(pipeEndOf(read)!.pipe.poll('read') & PipePoll.POLLHUP).toBe(PipePoll.POLLHUP);
  });

  it('a write with no reader is broken (EPIPE and SIGPIPE)', () => {
    const { read, write } = make();
    read.decRef();
    const w = pipeEndOf(write)!;
    const r = pipeWrite(write, w, bytes(1), 0, 1);
    expect(r).toEqual({ kind: 'broken', count: 0 });
    expect(write.write(bytes(1), 0, 1)).toBe(-Errno.EPIPE);
    expect(nonBlockingValue({ kind: 'broken', count: 0 }, Errno.EAGAIN, Errno.EPIPE)).toBe(-Errno.EPIPE);
    expect(w.pipe.poll('write') & PipePoll.POLLERR).toBe(PipePoll.POLLERR);
    expect(pipeWrite(write, w, bytes(0), 0, 0)).toBe(0); // a null write succeeds
  });

  it('holds 65536 bytes; a slot is free again only when its page is read to the end', () => {
    const { read, write } = make();
    const w = pipeEndOf(write)!;
    expect(pipeWrite(write, w, bytes(65536), 0, 65536)).toBe(65536);
    expect(pipeWrite(write, w, bytes(1), 0, 1)).toEqual({ kind: 'would-block', count: 0 });
    const dst = new Uint8Array(PAGE_SIZE);
    expect(read.read(dst, 0, 1)).toBe(1);
    expect(w.pipe.poll('write')).toBe(0);
    expect(pipeWrite(write, w, bytes(1), 0, 1)).toEqual({ kind: 'would-block', count: 0 });
    expect(read.read(dst, 0, PAGE_SIZE - 1)).toBe(PAGE_SIZE - 1);
    expect(pipeWrite(write, w, bytes(1), 0, 1)).toBe(1);
    expect(w.pipe.available).toBe(65536 - PAGE_SIZE + 1);
  });

  it('never splits a write of at most PIPE_BUF bytes; splits a larger one where the room ends', () => {
    const { write } = make();
    const w = pipeEndOf(write)!;
    expect(pipeWrite(write, w, bytes(15 * PAGE_SIZE + 4000), 0, 15 * PAGE_SIZE + 4000)).toBe(15 * PAGE_SIZE + 4000);
    // The last page has 96 bytes free: 200 does not fit there and no slot is left.
    expect(pipeWrite(write, w, bytes(200), 0, 200)).toEqual({ kind: 'would-block', count: 0 });
    expect(pipeWrite(write, w, bytes(96), 0, 96)).toBe(96);
    const { write: w2 } = make();
    const e2 = pipeEndOf(w2)!;
    expect(pipeWrite(w2, e2, bytes(15 * PAGE_SIZE), 0, 15 * PAGE_SIZE)).toBe(15 * PAGE_SIZE);
    expect(pipeWrite(w2, e2, bytes(10000), 0, 10000)).toEqual({ kind: 'would-block', count: PAGE_SIZE });
    expect(nonBlockingValue({ kind: 'would-block', count: PAGE_SIZE }, Errno.EAGAIN, Errno.EPIPE)).toBe(PAGE_SIZE);
  });

  it('a resumed write does not top up the last page again', () => {
    const { write } = make();
    const w = pipeEndOf(write)!;
    pipeWrite(write, w, bytes(100), 0, 100);
    pipeWrite(write, w, bytes(10), 0, 10, true);
    expect(pipeFcntl(write, PipeFcntl.F_SETPIPE_SZ, PAGE_SIZE, false)).toBe(-Errno.EBUSY);
    const { write: fresh } = make();
    const f = pipeEndOf(fresh)!;
    pipeWrite(fresh, f, bytes(100), 0, 100);
    pipeWrite(fresh, f, bytes(10), 0, 10);
    expect(pipeFcntl(fresh, PipeFcntl.F_SETPIPE_SZ, PAGE_SIZE, false)).toBe(PAGE_SIZE);
  });

  it('in packet mode (O_DIRECT) each write is read whole, the rest of a packet discarded', () => {
    const { read, write } = make(O.O_DIRECT);
    write.write(new Uint8Array([1, 2, 3]), 0, 3);
    write.write(new Uint8Array([4, 5]), 0, 2);
    write.write(new Uint8Array([6, 7, 8]), 0, 3);
    const dst = new Uint8Array(10);
    expect(read.read(dst, 0, 10)).toBe(3);
    expect(read.read(dst, 0, 10)).toBe(2);
    expect(read.read(dst, 0, 1)).toBe(1);
    expect(dst[0]).toBe(6);
    expect(read.read(dst, 0, 10)).toBe(-Errno.EAGAIN);
  });

  it('updates atime on reads and mtime/ctime on writes', () => {
    const { read, write } = make();
    now = 2000;
    write.write(bytes(1), 0, 1);
    now = 3000;
    read.read(new Uint8Array(1), 0, 1);
    const st = read.stat();
    expect([st.mtime, st.ctime, st.atime]).toEqual([2000, 2000, 3000]);
  });
});

describe('pipe wait queues', () => {
  it('wakes readers on data and on the last writer closing, writers on room and on the last reader closing', () => {
    const { read, write } = make();
    const { pipe } = pipeEndOf(read)!;
    const woken: string[] = [];
    pipe.readWait.add(undefined, () => woken.push('reader') > 0);
    write.write(bytes(1), 0, 1);
    expect(woken).toEqual(['reader']);
    write.write(bytes(65535), 0, 65535);
    pipe.writeWait.add(undefined, () => woken.push('writer') > 0);
    read.read(new Uint8Array(PAGE_SIZE), 0, PAGE_SIZE);
    expect(woken).toEqual(['reader', 'writer']);
    pipe.readWait.add(undefined, () => woken.push('reader at close') > 0);
    write.decRef();
    expect(woken).toEqual(['reader', 'writer', 'reader at close']);
  });

  it('counts open descriptions, not descriptors: a shared description closes once', () => {
    const { read, write } = make();
    const { pipe } = pipeEndOf(read)!;
    write.incRef(); // dup
    write.decRef();
    expect(pipe.writers).toBe(1);
    write.decRef();
    expect(pipe.writers).toBe(0);
    expect(pipe.readers).toBe(1);
  });
});

describe('F_GETPIPE_SZ / F_SETPIPE_SZ', () => {
  it('rounds up to a power of two of pages, refuses more than pipe-max-size unprivileged', () => {
    const { read } = make();
    expect(pipeFcntl(read, PipeFcntl.F_GETPIPE_SZ, 0, false)).toBe(65536);
    expect(pipeFcntl(read, PipeFcntl.F_SETPIPE_SZ, 0, false)).toBe(PAGE_SIZE);
    expect(pipeFcntl(read, PipeFcntl.F_SETPIPE_SZ, 100_000, false)).toBe(131072);
    expect(pipeFcntl(read, PipeFcntl.F_GETPIPE_SZ, 0, false)).toBe(131072);
    expect(pipeFcntl(read, PipeFcntl.F_SETPIPE_SZ, PIPE_MAX_SIZE + 1, false)).toBe(-Errno.EPERM);
    expect(pipeFcntl(read, PipeFcntl.F_SETPIPE_SZ, PIPE_MAX_SIZE + 1, true)).toBe(2 * PIPE_MAX_SIZE);
    expect(pipeFcntl(read, PipeFcntl.F_SETPIPE_SZ, 2 ** 31 + 1, true)).toBe(-Errno.EINVAL);
    expect(pipeFcntl(read, 9999, 0, false)).toBe(-Errno.EINVAL);
  });
});
