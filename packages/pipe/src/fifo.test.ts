import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { Errno, O, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { fifoOpenWait, openFifo } from './fifo';
import { pipeEndOf, pipeRead, pipeWrite } from './pipe-file';
import { PipeFs } from './pipe-fs';

/** A tree whose root directory holds the FIFO /f (pipefs's directory half takes mknod like any libfs one). */
function fifoWorld() {
  const vfs = new Vfs(new PipeFs({ clock: () => 0 }));
  vfs.specialFiles.fifos = (inode, flags) => openFifo(inode, flags);
  const task: FsTask = { fs: vfs.newFsContext(0), cred: Credentials.root() };
  expect(vfs.mknod(task, '/f', S.S_IFIFO | 0o666, 0)).toBe(0);
  const open = (flags: number): OpenFileDescription => {
    const f = vfs.open(task, '/f', flags, 0);
    if (typeof f === 'number') throw new Error(`open: ${f}`);
    return f;
  };
  return { vfs, task, open };
}

describe('FIFOs (fifo_open)', () => {
  it('a writer without a reader: ENXIO under O_NONBLOCK; a non-blocking reader opens at once', () => {
    const { vfs, task, open } = fifoWorld();
    expect(vfs.open(task, '/f', O.O_WRONLY | O.O_NONBLOCK, 0)).toBe(-Errno.ENXIO);
    const r = open(O.O_RDONLY | O.O_NONBLOCK);
    expect(fifoOpenWait(r)).toBeNull();
    const w = open(O.O_WRONLY | O.O_NONBLOCK);
    const end = pipeEndOf(w)!;
    expect(pipeWrite(w, end, new Uint8Array([1, 2, 3]), 0, 3)).toBe(3);
    const got: number[] = [];
    expect(pipeRead(pipeEndOf(r)!, 8, (b) => (got.push(...b), true))).toBe(3);
    expect(got).toEqual([1, 2, 3]);
    expect(r.isStream).toBe(true);
    w.decRef();
    expect(pipeRead(pipeEndOf(r)!, 8, () => true)).toBe(0); // no writer: EOF
    r.decRef();
  });

  it('shares one pipe between opens while any is open, and drops it (and its data) with the last', () => {
    const { open } = fifoWorld();
    const rw = open(O.O_RDWR);
    expect(fifoOpenWait(rw)).toBeNull(); // O_RDWR is its own partner
    const end = pipeEndOf(rw)!;
    expect(end.pipe.readers).toBe(1);
    expect(end.pipe.writers).toBe(1);
    expect(pipeWrite(rw, end, new Uint8Array(5), 0, 5)).toBe(5);
    const r2 = open(O.O_RDONLY | O.O_NONBLOCK);
    expect(pipeEndOf(r2)!.pipe).toBe(end.pipe);
    rw.decRef();
    r2.decRef();
    const again = open(O.O_RDWR);
    expect(pipeEndOf(again)!.pipe).not.toBe(end.pipe);
    expect(pipeEndOf(again)!.pipe.available).toBe(0);
    again.decRef();
  });

  it('a blocking reader waits for a writer to open, even one that closed again', () => {
    const { open } = fifoWorld();
    const r = open(O.O_RDONLY);
    const wait = fifoOpenWait(r)!;
    expect(wait.ready()).toBe(false);
    let woken = 0;
    wait.queue.add(undefined, () => (woken++, true));
    const w = open(O.O_WRONLY);
    expect(fifoOpenWait(w)).toBeNull(); // the reader is there
    expect(woken).toBeGreaterThan(0);
    w.decRef();
    expect(wait.ready()).toBe(true);
    r.decRef();
  });

  it('a blocking writer waits for a reader', () => {
    const { open } = fifoWorld();
    const w = open(O.O_WRONLY);
    const wait = fifoOpenWait(w)!;
    expect(wait.ready()).toBe(false);
    const r = open(O.O_RDONLY | O.O_NONBLOCK);
    expect(wait.ready()).toBe(true);
    w.decRef();
    r.decRef();
  });
});
