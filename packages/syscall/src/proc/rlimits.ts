import { CAP, DEFAULT_STACK_LIMIT, Errno, MLOCK_LIMIT_DEFAULT, RLIM_INFINITY, RLIM_NLIMITS, RLIMIT } from '@tskern/abi';
import type { MemoryLimits } from '@tskern/mman';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { capable } from '@tskern/vfs';
import { systemConfig } from '../system/system-config';

/**
 * A process's resource limits (Linux's `signal->rlim`): soft (`cur`) and hard
 * (`max`) value per RLIMIT_*, as unsigned 64-bit numbers with RLIM_INFINITY
 * all ones. Plain data, so clone copies it with structuredClone.
 */
export interface ResourceLimits {
  readonly cur: bigint[];
  readonly max: bigint[];
}

/** INR_OPEN_MAX: the default hard RLIMIT_NOFILE. */
const INR_OPEN_MAX = 4096n;
/** MQ_BYTES_MAX: RLIMIT_MSGQUEUE. */
const MQ_BYTES_MAX = 819200n;
/**
 * RLIMIT_NPROC and RLIMIT_SIGPENDING: Linux sizes both from memory at boot
 * (max_threads / 2); tskern fixes them at what a machine of a few GiB gets.
 */
const TASKS_LIMIT = 31_000n;

/**
 * INIT_RLIMITS (include/asm-generic/resource.h), with RLIMIT_NOFILE's soft
 * limit at the fd table's size.
 */
function initialLimits(fdLimit: number): ResourceLimits {
  const inf = RLIM_INFINITY;
  const pairs: [bigint, bigint][] = [];
  pairs[RLIMIT.RLIMIT_CPU] = [inf, inf];
  pairs[RLIMIT.RLIMIT_FSIZE] = [inf, inf];
  pairs[RLIMIT.RLIMIT_DATA] = [inf, inf];
  pairs[RLIMIT.RLIMIT_STACK] = [BigInt(DEFAULT_STACK_LIMIT), inf];
  pairs[RLIMIT.RLIMIT_CORE] = [0n, inf];
  pairs[RLIMIT.RLIMIT_RSS] = [inf, inf];
  pairs[RLIMIT.RLIMIT_NPROC] = [TASKS_LIMIT, TASKS_LIMIT];
  pairs[RLIMIT.RLIMIT_NOFILE] = [BigInt(fdLimit), BigInt(fdLimit) > INR_OPEN_MAX ? BigInt(fdLimit) : INR_OPEN_MAX];
  pairs[RLIMIT.RLIMIT_MEMLOCK] = [BigInt(MLOCK_LIMIT_DEFAULT), BigInt(MLOCK_LIMIT_DEFAULT)];
  pairs[RLIMIT.RLIMIT_AS] = [inf, inf];
  pairs[RLIMIT.RLIMIT_LOCKS] = [inf, inf];
  pairs[RLIMIT.RLIMIT_SIGPENDING] = [TASKS_LIMIT, TASKS_LIMIT];
  pairs[RLIMIT.RLIMIT_MSGQUEUE] = [MQ_BYTES_MAX, MQ_BYTES_MAX];
  pairs[RLIMIT.RLIMIT_NICE] = [0n, 0n];
  pairs[RLIMIT.RLIMIT_RTPRIO] = [0n, 0n];
  pairs[RLIMIT.RLIMIT_RTTIME] = [inf, inf];
  return { cur: pairs.map((p) => p[0]), max: pairs.map((p) => p[1]) };
}

function isLimits(x: unknown): x is ResourceLimits {
  return typeof x === 'object' && x !== null && Array.isArray((x as ResourceLimits).cur);
}

/** The limits of a process (made with INIT_RLIMITS the first time they are asked for). */
export function limitsOf(task: Task): ResourceLimits {
  const group: ThreadGroup = task.group;
  if (!isLimits(group.rlimits)) group.rlimits = initialLimits(task.files.limit);
  return group.rlimits as ResourceLimits;
}

/** 2^53, computed once: a BigInt power per call costs an allocation on every mmap. */
const TWO_53 = 2n ** 53n;

/** A limit as a JavaScript number of bytes: RLIM_INFINITY (or anything past 2^53) is Infinity. */
export function limitNumber(value: bigint): number {
  return value >= TWO_53 ? Infinity : Number(value);
}

/**
 * Whether an mmap must read the limits at all: `special` (locked memory,
 * MAP_LOCKED; or an address below vm.mmap_min_addr, which needs
 * CAP_SYS_RAWIO), mlockall(MCL_FUTURE), or a finite RLIMIT_AS or
 * RLIMIT_DATA. Without them the call maps as unlimited, and skips building
 * the limits on every mmap.
 */
export function mmapNeedsLimits(task: Task, special: boolean): boolean {
  if (special || task.mm.defFlags !== 0) return true;
  const cur = limitsOf(task).cur;
  return cur[RLIMIT.RLIMIT_AS]! < TWO_53 || cur[RLIMIT.RLIMIT_DATA]! < TWO_53;
}

/** What the memory calls check: RLIMIT_MEMLOCK, RLIMIT_DATA, RLIMIT_AS, CAP_IPC_LOCK (can_do_mlock) and CAP_SYS_RAWIO (cap_mmap_addr). */
export function memoryLimits(task: Task): MemoryLimits {
  const l = limitsOf(task);
  return {
    memlock: limitNumber(l.cur[RLIMIT.RLIMIT_MEMLOCK]!),
    data: limitNumber(l.cur[RLIMIT.RLIMIT_DATA]!),
    addressSpace: limitNumber(l.cur[RLIMIT.RLIMIT_AS]!),
    ipcLock: capable(task.cred, CAP.CAP_IPC_LOCK),
    rawIo: capable(task.cred, CAP.CAP_SYS_RAWIO),
  };
}

/**
 * kernel/sys.c do_prlimit: EINVAL for an unknown resource or a soft limit
 * above the hard one; EPERM for RLIMIT_NOFILE's hard limit past fs.nr_open,
 * or for raising a hard limit without CAP_SYS_RESOURCE. Returns the old
 * value (before the change) or -errno. RLIMIT_NOFILE's soft limit sizes the
 * process's fd tables.
 */
export function doPrlimit(caller: Task, target: Task, resource: number, next: [bigint, bigint] | null): [bigint, bigint] | number {
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  if (next !== null) {
    if (next[0] > next[1]) return -Errno.EINVAL;
    if (resource === RLIMIT.RLIMIT_NOFILE && next[1] > BigInt(systemConfig(caller).nrOpen)) return -Errno.EPERM;
  }
  const limits = limitsOf(target);
  const old: [bigint, bigint] = [limits.cur[resource]!, limits.max[resource]!];
  if (next !== null) {
    if (next[1] > old[1] && !capable(caller.cred, CAP.CAP_SYS_RESOURCE)) return -Errno.EPERM;
    limits.cur[resource] = next[0];
    limits.max[resource] = next[1];
    if (resource === RLIMIT.RLIMIT_NOFILE) {
      for (const t of target.group.tasks) t.files.limit = Number(next[0]);
    }
  }
  return old;
}

const RLIMIT_SIZE = 16;

function readLimit(task: Task, addr: number): [bigint, bigint] | number {
  const buf = new Uint8Array(RLIMIT_SIZE);
  const r = task.mem.copyIn(addr, buf, 0, RLIMIT_SIZE);
  if (r < 0) return r;
  const view = new DataView(buf.buffer);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

function writeLimit(task: Task, addr: number, value: [bigint, bigint]): number {
  const buf = new Uint8Array(RLIMIT_SIZE);
  const view = new DataView(buf.buffer);
  view.setBigUint64(0, value[0], true);
  view.setBigUint64(8, value[1], true);
  return task.mem.copyOut(addr, buf, 0, RLIMIT_SIZE);
}

/** getrlimit(2): `struct rlimit` of two unsigned longs. */
export function sysGetrlimit(task: Task, resource: number, addr: number): number {
  const old = doPrlimit(task, task, resource, null);
  if (typeof old === 'number') return old;
  return writeLimit(task, addr, old);
}

/** setrlimit(2): the new value is read first (EFAULT), then do_prlimit. */
export function sysSetrlimit(task: Task, resource: number, addr: number): number {
  const next = readLimit(task, addr);
  if (typeof next === 'number') return next;
  const r = doPrlimit(task, task, resource, next);
  return typeof r === 'number' ? r : 0;
}

/**
 * prlimit64(2): the new value is read first (EFAULT); `pid` 0 is the caller,
 * another process must exist (ESRCH) and, unless it is the caller, have all
 * its uids equal to the caller's real uid and all its gids to the caller's
 * real gid, or the caller needs CAP_SYS_RESOURCE (EPERM,
 * check_prlimit_permission); the old value is written last.
 */
export function sysPrlimit64(task: Task, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  let next: [bigint, bigint] | null = null;
  if (newAddr !== 0) {
    const r = readLimit(task, newAddr);
    if (typeof r === 'number') return r;
    next = r;
  }
  const target = pid === 0 ? task : task.kernel.tasks.get(pid);
  if (target === undefined || !target.alive) return -Errno.ESRCH;
  if (target.group !== task.group && !capable(task.cred, CAP.CAP_SYS_RESOURCE)) {
    const c = task.cred;
    const t = target.cred;
    const same = c.uid === t.euid && c.uid === t.suid && c.uid === t.uid && c.gid === t.egid && c.gid === t.sgid && c.gid === t.gid;
    if (!same) return -Errno.EPERM;
  }
  const old = doPrlimit(task, target, resource, next);
  if (typeof old === 'number') return old;
  return oldAddr !== 0 ? writeLimit(task, oldAddr, old) : 0;
}
