import { Errno } from '@tskern/abi';

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
 * number still in use (a live or zombie task, a process group or session
 * id) is skipped; with none free the answer is EAGAIN, as fork's.
 */
export class PidAllocator {
  /** kernel.pid_max: ids are below it. Lowering it leaves ids already given alone. */
  pidMax = PID_MAX_DEFAULT;
  /** The last id given (1, init's, is the reaper's). */
  private last = 1;
  /** The highest id ever given: ids above it were never used, so need no look-up. */
  private highest = 1;
  /** Ids given since boot (total_forks). */
  given = 0;

  /** The next free id, or -EAGAIN when every id below pidMax is in use. */
  alloc(inUse: (id: number) => boolean): number {
    // 1 is init's for ever (tskern's reaper), so the low end is 2 before the cursor passes RESERVED_PIDS.
    const min = this.last >= RESERVED_PIDS ? RESERVED_PIDS : 2;
    const max = this.pidMax;
    // idr_alloc_cyclic: from the cursor to the end, then from the start to the cursor.
    let start = this.last + 1;
    if (start >= max || start < min) start = min;
    for (let id = start, tried = 0; tried < max - min; tried++) {
      if (id > this.highest || !inUse(id)) {
        this.last = id;
        this.highest = Math.max(this.highest, id);
        this.given++;
        return id;
      }
      id = id + 1 >= max ? min : id + 1;
    }
    return -Errno.EAGAIN;
  }
}
