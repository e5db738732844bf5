import { Errno } from '@tskern/abi';
import { invariant } from '@tskern/assert';

/** PID_MAX_DEFAULT (include/linux/threads.h): kernel.pid_max on a machine of up to 32 CPUs. */
export const PID_MAX_DEFAULT = 0x8000;
/** PID_MAX_LIMIT on 64-bit: 4 * 1024 * 1024, kernel.pid_max's ceiling. */
export const PID_MAX_LIMIT = 4 * 1024 * 1024;
/** RESERVED_PIDS: after the numbers wrap, allocation resumes above these (daemons started at boot keep low pids). */
export const RESERVED_PIDS = 300;
/**
 * max_threads as tskern sets it: twice RLIMIT_NPROC's 31000 default, the
 * ratio fork_init keeps (init's RLIMIT_NPROC is max_threads / 2), so the
 * two limits agree as on a machine of about 8 GiB.
 */
export const THREADS_MAX_DEFAULT = 62_000;

/**
 * Process ids as kernel/pid.c's alloc_pid hands them out: cyclically from
 * the last one given, below `pidMax` (kernel.pid_max); once the cursor has
 * passed RESERVED_PIDS a wrap resumes at RESERVED_PIDS rather than 1. A
 * number still in use is skipped; with none free the answer is EAGAIN, as
 * fork's.
 *
 * An id is in use while something holds it: Linux keeps a struct pid in the
 * pid namespace's idr until the last task attached to it by any pid type
 * (PIDTYPE_PID, TGID, PGID, SID) lets go (free_pid from detach_pid). The
 * holders here are the task table (a task's tid, a process's tgid, its
 * process group and session), which `hold` and `release` as they attach
 * and detach, so `alloc` asks a map rather than walking every process.
 */
export class PidAllocator {
  /** kernel.pid_max: ids are below it. Lowering it leaves ids already given alone. */
  pidMax = PID_MAX_DEFAULT;
  /** The last id given (1, init's, is the reaper's). */
  private last = 1;
  /** Ids given since boot (total_forks). */
  given = 0;
  /** Each id in use and how many attachments hold it. */
  private readonly holders = new Map<number, number>();

  /** `id` gets one more holder (attach_pid). */
  hold(id: number): void {
    this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
  }

  /** `id` loses a holder (detach_pid); with none left it is free again (free_pid). */
  release(id: number): void {
    const n = this.holders.get(id);
    invariant(n !== undefined, () => `pid ${id} released more often than held`);
    if (n === 1) this.holders.delete(id);
    else this.holders.set(id, n - 1);
  }

  /** Whether anything holds `id`. */
  inUse(id: number): boolean {
    return this.holders.has(id);
  }

  /**
   * The next free id, or -EAGAIN when every id below pidMax is in use. The
   * id is not held yet: the caller holds it as it attaches it. Amortised
   * O(1): the cyclic cursor passes each id in use at most once a round.
   */
  alloc(): number {
    // alloc_pid: "init really needs pid 1, but after reaching the maximum wrap back to RESERVED_PIDS"
    // (pid_min is RESERVED_PIDS once the idr cursor is past it); 1 is init's for ever here (the reaper's).
    const min = this.last >= RESERVED_PIDS ? RESERVED_PIDS : 2;
    const max = this.pidMax;
    // idr_alloc_cyclic: from the cursor to the end, then from the start to the cursor.
    let id = this.last + 1;
    if (id >= max || id < min) id = min;
    for (let tried = 0; tried < max - min; tried++) {
      if (!this.holders.has(id)) {
        this.last = id;
        this.given++;
        return id;
      }
      id = id + 1 >= max ? min : id + 1;
    }
    return -Errno.EAGAIN;
  }
}
