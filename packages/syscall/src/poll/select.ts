import { Errno } from '@tskern/abi';
import type { WaitSource } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { FdTable } from '@tskern/vfs';
import type { Block, SyscallReturn } from '../block';
import { blockingServices } from '../blocking/services';
import { pollFile } from './poll';
import { PollSelectTimeout, type PollEnding } from './poll-select-timeout';
import { waitBlock } from './wait-block';

/** The poll bits each fd_set stands for (fs/select.c POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
const POLLIN_SET = 0x1 | 0x40 | 0x80 | 0x10 | 0x8; // POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR
const POLLOUT_SET = 0x4 | 0x100 | 0x200 | 0x8; // POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR
const POLLEX_SET = 0x2; // POLLPRI
const SETS = [POLLIN_SET, POLLOUT_SET, POLLEX_SET] as const;

/**
 * The fd table's size (fdt->max_fds): 64 descriptors (BITS_PER_LONG) while
 * every open one is below 64, else a power of two times 128 past the
 * highest (expand_fdtable's rounding on 64-bit). select clamps `n` to it.
 */
function maxFds(files: FdTable): number {
  let highest = -1;
  for (let fd = files.limit - 1; fd >= 0; fd--) {
    if (files.get(fd) !== null) {
      highest = fd;
      break;
    }
  }
  if (highest < 64) return 64;
  let slots = 1;
  while (slots < Math.floor(highest / 128) + 1) slots *= 2;
  return slots * 128;
}

/**
 * core_sys_select (fs/select.c): n negative is EINVAL, clamped to the fd
 * table's size; the three sets (each NULL or ceil(n / 64) words) are read
 * (EFAULT); a set bit naming a closed descriptor is EBADF. Each pass reports
 * in, out and except bits from the files' poll masks and counts every bit
 * set; with none it sleeps on the files' queues until the deadline (0) or
 * a signal. The result sets are written back (EFAULT). `ending` has the
 * deadline and sees the result (and a signal's interruption).
 */
function doSelect(task: Task, n: number, ptrs: readonly number[], restart: Block['restart'], ending: PollEnding): SyscallReturn {
  if (n < 0) return ending.finish(-Errno.EINVAL);
  n = Math.min(n, maxFds(task.files));
  const bytes = Math.ceil(n / 64) * 8;
  const wanted = ptrs.map((p) => {
    if (p === 0) return null;
    const b = new Uint8Array(bytes);
    return task.mem.copyIn(p, b, 0, bytes) < 0 ? undefined : b;
  });
  if (wanted.includes(undefined)) return ending.finish(-Errno.EFAULT);
  const bit = (set: Uint8Array | null | undefined, fd: number): boolean => set != null && (set[fd >> 3]! & (1 << (fd & 7))) !== 0;
  for (let fd = 0; fd < n; fd++) {
    if ((bit(wanted[0], fd) || bit(wanted[1], fd) || bit(wanted[2], fd)) && task.files.get(fd) === null) return ending.finish(-Errno.EBADF);
  }
  const clock = blockingServices(task).clock;
  const deadline = ending.deadline;
  const attempt = (): SyscallReturn => {
    const results = wanted.map((w) => (w == null ? null : new Uint8Array(bytes)));
    const waits: WaitSource[] = [];
    let count = 0;
    for (let fd = 0; fd < n; fd++) {
      if (!SETS.some((_, i) => bit(wanted[i], fd))) continue;
      const file = task.files.get(fd);
      if (file === null) return ending.finish(-Errno.EBADF); // closed by another thread meanwhile
      const { mask, wait } = pollFile(file);
      if (wait !== null) waits.push(wait);
      SETS.forEach((events, i) => {
        if (!bit(wanted[i], fd) || (mask & events) === 0) return;
        results[i]![fd >> 3]! |= 1 << (fd & 7);
        count++;
      });
    }
    if (count === 0 && (deadline === undefined || clock.monotonicNs() < deadline)) return waitBlock('select', waits, restart, attempt, ending);
    for (let i = 0; i < 3; i++) {
      const r = results[i];
      if (r != null && task.mem.copyOut(ptrs[i]!, r, 0, bytes) < 0) return ending.finish(-Errno.EFAULT);
    }
    return ending.finish(count);
  };
  return attempt();
}

/** select(2) (x86-64): a `struct timeval` timeout (NULL: none), the time left written back (PollSelectTimeout). */
export function sysSelect(task: Task, n: number, inp: number, outp: number, exp: number, tvp: number): SyscallReturn {
  const timeout = PollSelectTimeout.read(task, tvp, 'timeval');
  if (typeof timeout === 'number') return timeout;
  // core_sys_select's -ERESTARTNOHAND: a restart re-reads the timeval the interruption wrote back.
  return doSelect(task, n | 0, [inp, outp, exp], 'nohand', timeout);
}

/**
 * pselect6(2): a timespec timeout, and the sixth argument a
 * `{ const sigset_t *ss; size_t ss_len }` (read first: EFAULT) whose mask,
 * when given (ss_len must be 8: EINVAL), is the signal mask while it waits.
 * The old mask and the time left are handled as poll_select_finish does
 * (PollSelectTimeout).
 */
export function sysPselect6(task: Task, n: number, inp: number, outp: number, exp: number, tsp: number, sig: number): SyscallReturn {
  // get_sigset_argpack comes before do_pselect reads the timeout.
  let ss = 0;
  let ssLen = 0;
  if (sig !== 0) {
    const arg = new Uint8Array(16);
    if (task.mem.copyIn(sig, arg, 0, 16) < 0) return -Errno.EFAULT;
    const v = new DataView(arg.buffer);
    ss = Number(v.getBigUint64(0, true));
    ssLen = Number(v.getBigUint64(8, true));
  }
  const timeout = PollSelectTimeout.read(task, tsp, 'timespec');
  if (typeof timeout === 'number') return timeout;
  const ending = timeout.withUserSigmask(ss, ssLen);
  if (typeof ending === 'number') return ending;
  return doSelect(task, n | 0, [inp, outp, exp], 'nohand', ending);
}
