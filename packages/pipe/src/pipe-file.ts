import { Errno, O, S } from '@tskern/abi';
import { Dentry, OpenFileDescription, type FileOperations } from '@tskern/vfs';
import { fifoPipeOf, type PipeHolder } from './fifo-pipes';
import type { Pipe } from './pipe';
import { PipeInode, type PipeFs } from './pipe-fs';
import type { PipeFault, PipeReadCopy, PipeReadResult, PipeWriteResult } from './pipe-result';

/** The flags pipe2(2) takes (__do_pipe_flags). O_NOTIFICATION_PIPE is O_EXCL. */
const O_NOTIFICATION_PIPE = O.O_EXCL;
const PIPE2_FLAGS = O.O_CLOEXEC | O.O_NONBLOCK | O.O_DIRECT | O_NOTIFICATION_PIPE;

/** The two ends pipe2(2) made, and whether their descriptors get FD_CLOEXEC. */
export interface PipeFiles {
  readonly read: OpenFileDescription;
  readonly write: OpenFileDescription;
  readonly cloexec: boolean;
}

/** Which end of which pipe a description is. */
export interface PipeEnd {
  readonly pipe: Pipe;
  /** The pipe's inode, or a FIFO's open pipe. */
  readonly inode: PipeHolder;
  readonly end: 'read' | 'write';
}

/**
 * The file operations of one end (pipefifo_fops) for the VFS's generic
 * paths: a stream (lseek, pread, pwrite are ESPIPE), "would block" read as
 * -EAGAIN and a broken pipe as -EPIPE (which always means SIGPIPE). The
 * syscall layer uses `pipeRead`/`pipeWrite`, which keep the distinction.
 * A FIFO opened O_RDWR holds both ends.
 */
export class PipeEndOperations implements FileOperations {
  readonly stream = true;
  file: OpenFileDescription | null = null;

  constructor(
    private readonly inode: PipeHolder,
    private readonly ends: readonly ('read' | 'write')[],
    private readonly released: () => void = () => {},
  ) {
    for (const end of ends) inode.pipe.openEnd(end);
  }

  read(_pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
    const r = readInode(this.inode, dst, dstOffset, length);
    return typeof r === 'number' ? r : -Errno.EAGAIN;
  }

  write(_pos: number, src: Uint8Array, srcOffset: number, length: number): number {
    const packet = this.file !== null && (this.file.getFlags() & O.O_DIRECT) !== 0;
    const r = writeInode(this.inode, src, srcOffset, length, packet, false);
    if (typeof r === 'number') return r;
    if (r.count > 0) return r.count;
    return r.kind === 'broken' ? -Errno.EPIPE : -Errno.EAGAIN;
  }

  release(): void {
    for (const end of this.ends) this.inode.pipe.closeEnd(end);
    this.released();
  }
}

/**
 * pipe2(2)'s body (__do_pipe_flags + create_pipe_files): a new pipe inode
 * on `fs` owned by `owner` (the caller's fsuid/fsgid), a read end O_RDONLY
 * and a write end O_WRONLY, both with O_NONBLOCK when asked, the write end
 * also with O_DIRECT (packet mode). Unknown flags are EINVAL;
 * O_NOTIFICATION_PIPE is ENOPKG, as a kernel without CONFIG_WATCH_QUEUE.
 * Each description carries the one reference the fd table takes over.
 */
export function createPipe(fs: PipeFs, flags: number, owner: { readonly uid: number; readonly gid: number }): PipeFiles | number {
  if ((flags & ~PIPE2_FLAGS) !== 0) return -Errno.EINVAL;
  if ((flags & O_NOTIFICATION_PIPE) !== 0) return -Errno.ENOPKG;
  const inode = fs.newPipeInode(owner);
  // A pipe is in no directory: its dentry hangs off pipefs's root uncached (d_alloc_pseudo).
  const path = { mount: fs.mount, dentry: new Dentry(`pipe:[${inode.ino}]`, fs.mount.root, inode) };
  const writeOps = new PipeEndOperations(inode, ['write']);
  const write = new OpenFileDescription(path, O.O_WRONLY | (flags & (O.O_NONBLOCK | O.O_DIRECT)), writeOps, null);
  writeOps.file = write;
  const readOps = new PipeEndOperations(inode, ['read']);
  const read = new OpenFileDescription(path, O.O_RDONLY | (flags & O.O_NONBLOCK), readOps, null);
  readOps.file = read;
  return { read, write, cloexec: (flags & O.O_CLOEXEC) !== 0 };
}

/** The pipe end behind `file`, or null when it is not a pipe (get_pipe_info). */
export function pipeEndOf(file: OpenFileDescription): PipeEnd | null {
  const inode = file.inode;
  if (inode instanceof PipeInode) return { pipe: inode.pipe, inode, end: file.readable ? 'read' : 'write' };
  if ((inode.mode & S.S_IFMT) !== S.S_IFIFO || file.isPathOnly) return null;
  const fifo = fifoPipeOf(inode);
  return fifo === null ? null : { pipe: fifo.pipe, inode: fifo, end: file.readable ? 'read' : 'write' };
}

function readInode(inode: PipeHolder, dst: Uint8Array, dstOffset: number, length: number): PipeReadResult {
  const r = inode.pipe.read(dst, dstOffset, length);
  if (typeof r === 'number' && r > 0) inode.accessed();
  return r;
}

function writeInode(inode: PipeHolder, src: Uint8Array, srcOffset: number, length: number, packet: boolean, resumed: boolean): PipeWriteResult {
  const r = inode.pipe.write(src, srcOffset, length, { packet, resumed });
  if (typeof r === 'number' ? r > 0 : r.count > 0) inode.touch();
  return r;
}

/**
 * read(2) on a pipe's read end, for the syscall layer (which has checked the
 * descriptor is readable): `copy` delivers each buffer's bytes to the
 * reader (copy_to_user); the count (0 at EOF), would block, or a fault when
 * the first copy failed (the bytes stay in the pipe).
 */
export function pipeRead(end: PipeEnd, length: number, copy: PipeReadCopy): PipeReadResult | PipeFault {
  const r = end.inode.pipe.readWith(length, copy);
  if (typeof r === 'number' && r > 0) end.inode.accessed();
  return r;
}

/**
 * write(2) on a pipe's write end: `file`'s O_DIRECT picks packet mode;
 * `resumed` when the call continues after blocking.
 */
export function pipeWrite(file: OpenFileDescription, end: PipeEnd, src: Uint8Array, srcOffset: number, length: number, resumed = false): PipeWriteResult {
  return writeInode(end.inode, src, srcOffset, length, (file.getFlags() & O.O_DIRECT) !== 0, resumed);
}
