import { readSync, writeSync } from 'node:fs';
import { Errno } from '@tskern/abi';
import type { HostStreams } from './host-stdio';

const EAGAIN_WAIT = new Int32Array(new SharedArrayBuffer(4));

function errnoOf(e: unknown): number {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EPIPE') return -Errno.EPIPE;
  if (code === 'EOF') return 0;
  return -Errno.EIO;
}

/** The host's fds 0, 1, 2 through Node's synchronous fs calls (a non-blocking stdin is waited on). */
export const nodeHostStreams: HostStreams = {
  read(dst, offset, length) {
    for (;;) {
      try {
        return readSync(0, dst, offset, length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(EAGAIN_WAIT, 0, 0, 10);
          continue;
        }
        return errnoOf(e);
      }
    }
  },
  write(fd, src, offset, length) {
    let done = 0;
    while (done < length) {
      try {
        done += writeSync(fd, src, offset + done, length - done);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(EAGAIN_WAIT, 0, 0, 1);
          continue;
        }
        return done > 0 ? done : errnoOf(e);
      }
    }
    return done;
  },
};
