import { Errno } from '@tskern/abi';
import { pipeEndOf, PipePoll } from '@tskern/pipe';
import { waitOn, type WaitSource } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import type { Block, SyscallReturn } from '../block';
import { blockingServices } from '../blocking/services';
import { PollSelectTimeout, type PollEnding } from './poll-select-timeout';
import { waitBlock } from './wait-block';
import { pollUserfaultfd } from '../userfaultfd/userfaultfd-syscalls';
import { userfaultfdOf } from '../userfaultfd/userfaultfd-file';

/** struct pollfd: int fd, short events, short revents. */
const POLLFD_SIZE = 8;
/** POLLNVAL: the descriptor is not open. */
const POLLNVAL = 0x20;
/** DEFAULT_POLLMASK: what a file without a poll method always reports. */
const DEFAULT_POLLMASK = PipePoll.POLLIN | PipePoll.POLLOUT | PipePoll.POLLRDNORM | PipePoll.POLLWRNORM;

/** A file's poll: its ready events and the queue its readiness changes on (none: always ready). */
export function pollFile(file: OpenFileDescription): { mask: number; wait: WaitSource | null } {
  const ctx = userfaultfdOf(file);
  if (ctx !== null) return { mask: pollUserfaultfd(file, ctx), wait: waitOn(ctx.fdWait) };
  const end = pipeEndOf(file);
  if (end !== null) return { mask: end.pipe.poll(end.end), wait: waitOn(end.end === 'read' ? end.pipe.readWait : end.pipe.writeWait) };
  return { mask: DEFAULT_POLLMASK, wait: null };
}

/**
 * One pass of do_poll over the `nfds` entries in `table`: each entry's
 * revents is its file's mask within the events asked (POLLERR and POLLHUP
 * always count), POLLNVAL for a descriptor that is not open, 0 for a
 * negative one. The count of entries with revents, and the queues to sleep
 * on when it is 0.
 */
function pollOnce(task: Task, table: DataView, nfds: number): { count: number; waits: WaitSource[] } {
  let count = 0;
  const waits: WaitSource[] = [];
  for (let i = 0; i < nfds; i++) {
    const at = i * POLLFD_SIZE;
    const fd = table.getInt32(at, true);
    let revents = 0;
    if (fd >= 0) {
      const file = task.files.get(fd);
      if (file === null || file.isPathOnly) {
        revents = POLLNVAL;
      } else {
        const events = table.getUint16(at + 4, true) | PipePoll.POLLERR | PipePoll.POLLHUP;
        const { mask, wait } = pollFile(file);
        revents = mask & events;
        if (wait !== null) waits.push(wait);
      }
    }
    table.setUint16(at + 6, revents, true);
    if (revents !== 0) count++;
  }
  return { count, waits };
}

/**
 * do_sys_poll (fs/select.c): more entries than RLIMIT_NOFILE allows is
 * EINVAL, an unreadable table EFAULT; then poll until an entry has events,
 * the deadline passes (0) or a signal comes (`restart`). The revents are
 * copied back (EFAULT when they cannot be). `ending` has the deadline and
 * sees the result (and a signal's interruption) before it is returned.
 */
function doPoll(task: Task, fds: number, nfds: number, restart: Block['restart'], ending: PollEnding): SyscallReturn {
  if (nfds > task.files.limit) return ending.finish(-Errno.EINVAL);
  const bytes = new Uint8Array(nfds * POLLFD_SIZE);
  if (nfds > 0 && task.mem.copyIn(fds, bytes, 0, bytes.length) < 0) return ending.finish(-Errno.EFAULT);
  const table = new DataView(bytes.buffer);
  const clock = blockingServices(task).clock;
  const deadline = ending.deadline;
  const finish = (count: number): number => {
    if (nfds > 0 && task.mem.copyOut(fds, bytes, 0, bytes.length) < 0) return ending.finish(-Errno.EFAULT);
    return ending.finish(count);
  };
  const attempt = (): SyscallReturn => {
    const { count, waits } = pollOnce(task, table, nfds);
    if (count > 0 || (deadline !== undefined && clock.monotonicNs() >= deadline)) return finish(count);
    return waitBlock('poll', waits, restart, attempt, ending);
  };
  return attempt();
}

/**
 * poll(2) (x86-64): `timeout` in milliseconds, negative for none. Nothing is
 * written back (sys_poll keeps the time left in its restart block).
 */
export function sysPoll(task: Task, fds: number, nfds: number, timeout: number): SyscallReturn {
  const t = timeout | 0;
  const deadline = t < 0 ? undefined : blockingServices(task).clock.monotonicNs() + t * 1e6;
  return doPoll(task, fds, nfds >>> 0, 'restartblock', { deadline, finish: (r) => r });
}

/**
 * ppoll(2): the timeout a timespec (NULL: none; EFAULT, EINVAL when not
 * valid), and `sigmask`, when given, the signal mask while it polls
 * (sigsetsize must be 8, EINVAL). The old mask and the time left are
 * handled as poll_select_finish does (PollSelectTimeout).
 */
export function sysPpoll(task: Task, fds: number, nfds: number, tsp: number, sigmask: number, sigsetsize: number): SyscallReturn {
  const timeout = PollSelectTimeout.read(task, tsp, 'timespec');
  if (typeof timeout === 'number') return timeout;
  const ending = timeout.withUserSigmask(sigmask, sigsetsize);
  if (typeof ending === 'number') return ending;
  return doPoll(task, fds, nfds >>> 0, 'nohand', ending);
}
