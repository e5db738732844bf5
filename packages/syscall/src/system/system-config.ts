import type { Task, TaskTable } from '@tskern/tasks';

/**
 * What uname(2) reports of the kernel build (UTS_RELEASE, UTS_VERSION).
 * tskern claims 6.18, the ABI it implements: Linux 6.18 (the oracle it is
 * checked against) is what its answers copy, post-6.8 behaviour included
 * (guard regions of 6.13, file-backed guards of 6.15, mremap moving several
 * VMAs of 6.17). Programs gate features on this number (LTP's min_kver:
 * madvise12 needs 6.13), so an older claim would hide what tskern does.
 * glibc and musl read only the leading numbers.
 */
export const DEFAULT_RELEASE = '6.18.0-tskern';
export const DEFAULT_VERSION = '#1 SMP PREEMPT_DYNAMIC tskern';
/** CPUs the kernel claims (nr_cpu_ids) unless told otherwise: one, so affinity masks and getcpu are trivial. */
export const DEFAULT_CPUS = 1;
/** uname's sysname (UTS_SYSNAME), also kernel.ostype. */
export const UTS_SYSNAME = 'Linux';
/** sysctl fs.nr_open's default (fs/file_table.c sysctl_nr_open = 1024 * 1024): the most RLIMIT_NOFILE's hard limit may be. */
export const NR_OPEN_DEFAULT = 1024 * 1024;
/** UTS_NODENAME and the domain name of init_uts_ns before anyone sets them (CONFIG_DEFAULT_HOSTNAME). */
const NO_NAME = '(none)';

/**
 * The kernel-wide facts of the start-up calls: the build strings uname
 * reports, how many CPUs there are, and the UTS namespace (tskern has one)
 * whose host and domain names sethostname and setdomainname change. Names
 * are byte strings (one char per byte).
 */
export interface SystemConfig {
  readonly release: string;
  readonly version: string;
  /** nr_cpu_ids: 1 to 64 (affinity masks are one unsigned long). */
  readonly cpus: number;
  hostname: string;
  domainname: string;
  /** fs.nr_open: setrlimit refuses an RLIMIT_NOFILE hard limit above it (EPERM). */
  nrOpen: number;
}

/** How the composition root sets the configuration (every field has a default). */
export interface SystemOptions {
  readonly release?: string;
  readonly version?: string;
  readonly cpus?: number;
  readonly hostname?: string;
}

const byTable = new WeakMap<TaskTable, SystemConfig>();

/** Give the kernel of `tasks` its configuration (the kernel does, once; a handler test gets the defaults). */
export function provideSystemConfig(tasks: TaskTable, options: SystemOptions = {}): SystemConfig {
  const cpus = Math.trunc(options.cpus ?? DEFAULT_CPUS);
  if (!(cpus >= 1 && cpus <= 64)) throw new RangeError(`tskern: cpus must be 1..64, not ${options.cpus}`);
  const config: SystemConfig = {
    release: options.release ?? DEFAULT_RELEASE,
    version: options.version ?? DEFAULT_VERSION,
    cpus,
    hostname: options.hostname ?? NO_NAME,
    domainname: NO_NAME,
    nrOpen: NR_OPEN_DEFAULT,
  };
  byTable.set(tasks, config);
  return config;
}

/** The configuration of `task`'s kernel. */
export function systemConfig(task: Task): SystemConfig {
  return byTable.get(task.kernel.tasks) ?? provideSystemConfig(task.kernel.tasks);
}
