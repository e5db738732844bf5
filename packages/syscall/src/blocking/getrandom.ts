import { Errno } from '@tskern/abi';
import { getrandomCount } from '@tskern/devices';
import type { Task } from '@tskern/tasks';
import { blockingServices } from './services';

const CHUNK = 64 * 1024;

/**
 * getrandom(2) (drivers/char/random.c): the flags checked (EINVAL), the count
 * clamped to INT_MAX, then bytes from the kernel's random source copied out
 * piece by piece; a fault ends the copy: the count so far, or -EFAULT when
 * nothing was copied (get_random_bytes_user).
 */
export function sysGetrandom(task: Task, buf: number, count: number, flags: number): number {
  const n = getrandomCount(count, flags);
  if (n <= 0) return n;
  const random = blockingServices(task).random;
  const kbuf = new Uint8Array(Math.min(n, CHUNK));
  let done = 0;
  while (done < n) {
    const len = Math.min(kbuf.length, n - done);
    random.fill(kbuf, 0, len);
    if (task.mem.copyOut(buf + done, kbuf, 0, len) < 0) {
      // Bytes before the faulting page may still go out: finish page by page.
      let part = 0;
      while (part < len) {
        const step = Math.min(4096 - ((buf + done + part) % 4096), len - part);
        if (task.mem.copyOut(buf + done + part, kbuf, part, step) < 0) break;
        part += step;
      }
      done += part;
      return done > 0 ? done : -Errno.EFAULT;
    }
    done += len;
  }
  return done;
}
