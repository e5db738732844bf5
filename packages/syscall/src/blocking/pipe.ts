import { Errno, O, PAGE_SIZE } from '@tskern/abi';

/** The signal a write to a pipe with no reader raises (pipe_write's send_sig). */
const SIGPIPE = 13;
import { createPipe, pipeRead, pipeWrite, type PipeEnd } from '@tskern/pipe';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import type { SyscallReturn } from '../block';
import { blockingServices } from './services';

/**
 * pipe2(2) (fs/pipe.c do_pipe2): the flags checked, the pipe made, two
 * descriptors (lowest free first: the read end), then the pair stored at
 * `fds`; a fault there closes both (EFAULT), as fput + put_unused_fd.
 */
export function sysPipe2(task: Task, fds: number, flags: number): number {
  const files = createPipe(blockingServices(task).pipes, flags >>> 0, { uid: task.cred.fsuid, gid: task.cred.fsgid });
  if (typeof files === 'number') return files;
  const rfd = task.files.install(files.read, files.cloexec);
  if (rfd < 0) {
    files.read.decRef();
    files.write.decRef();
    return rfd;
  }
  const wfd = task.files.install(files.write, files.cloexec);
  if (wfd < 0) {
    task.files.close(rfd);
    files.write.decRef();
    return wfd;
  }
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, rfd, true);
  v.setInt32(4, wfd, true);
  if (task.mem.copyOut(fds, out, 0, 8) < 0) {
    task.files.close(rfd);
    task.files.close(wfd);
    return -Errno.EFAULT;
  }
  return 0;
}

/** pipe(2): pipe2 without flags. */
export function sysPipe(task: Task, fds: number): number {
  return sysPipe2(task, fds, 0);
}

function nonblocking(file: OpenFileDescription): boolean {
  return (file.getFlags() & O.O_NONBLOCK) !== 0;
}

/**
 * read(2) on a pipe's read end (pipe_read): what is there, up to `count`;
 * 0 at end of file; empty with a writer left: EAGAIN under O_NONBLOCK, else
 * sleep on the pipe's readers' queue and look again.
 */
export function readPipe(task: Task, file: OpenFileDescription, end: PipeEnd, buf: number, count: number): SyscallReturn {
  const attempt = (): SyscallReturn => {
    // Each pipe buffer goes straight to the user (copy_page_to_iter): one
    // that cannot be copied stays in the pipe, and the read answers what
    // went before it, or EFAULT.
    const r = pipeRead(end, count, (bytes, at) => task.mem.copyOut(buf + at, bytes, 0, bytes.length) >= 0);
    if (typeof r === 'number') return r;
    if (r.kind === 'fault') return -Errno.EFAULT;
    if (nonblocking(file)) return -Errno.EAGAIN;
    return { reason: `read ${end.pipe.name}`, on: [waitOn(end.pipe.readWait)], restart: 'sys', retry: attempt, cancel: () => {} };
  };
  return count === 0 ? 0 : attempt();
}

/**
 * write(2) on a pipe's write end (pipe_write): all of it, sleeping on the
 * writers' queue while the pipe is full; under O_NONBLOCK what fits (at
 * most PIPE_BUF bytes go whole or not at all), EAGAIN when nothing does. No
 * reader: SIGPIPE, and EPIPE unless bytes were written first.
 */
export function writePipe(task: Task, file: OpenFileDescription, end: PipeEnd, buf: number, count: number): SyscallReturn {
  let done = 0;
  let resumed = false;
  const attempt = (): SyscallReturn => {
    for (;;) {
      // One piece is at most what the pipe can take in one go (its size,
      // plus the page a first write may top up), so the pipe sees the write
      // as Linux's pipe_write does: a first part that may top up the last
      // page, then whole pages.
      const want = Math.min(count - done, end.pipe.capacity + (resumed ? 0 : PAGE_SIZE));
      const kbuf = new Uint8Array(want);
      if (task.mem.copyIn(buf + done, kbuf, 0, want) < 0) return done > 0 ? done : -Errno.EFAULT;
      const r = pipeWrite(file, end, kbuf, 0, want, resumed);
      resumed = true;
      if (typeof r === 'number') {
        done += r;
        if (done === count) return done;
        continue;
      }
      done += r.count;
      if (r.kind === 'broken') {
        blockingServices(task).raiseSignal(task, SIGPIPE);
        return done > 0 ? done : -Errno.EPIPE;
      }
      if (nonblocking(file)) return done > 0 ? done : -Errno.EAGAIN;
      // pipe_write: a signal after some bytes went in answers their count, not EINTR.
      return {
        reason: `write ${end.pipe.name}`, on: [waitOn(end.pipe.writeWait)], restart: 'sys', retry: attempt, cancel: () => {},
        partial: () => done,
      };
    }
  };
  return count === 0 ? 0 : attempt();
}
