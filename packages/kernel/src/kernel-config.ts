/**
 * One symbol's value in a Linux .config: 'y' (built in), 'n' (written as
 * "# CONFIG_X is not set"), a number, or a string (written quoted).
 */
export type ConfigValue = 'y' | 'n' | number | string;

/** What the composition root knows of a kernel it has wired, for its KernelConfig. */
export interface KernelFacts {
  /** uname's machine: `riscv64` or `x86_64`. */
  readonly machine: string;
  /** uname's release, e.g. "6.18.0-tskern". */
  readonly release: string;
  /** The syscall names that have a handler on that architecture. */
  readonly syscalls: ReadonlySet<string>;
  /** NR_CPUS. */
  readonly nrCpus: number;
  /** The host name before sethostname (CONFIG_DEFAULT_HOSTNAME). */
  readonly defaultHostname: string;
}

/**
 * Options that exist exactly when their system call does (each syscall is
 * compiled in by that option, else sys_ni_syscall answers ENOSYS). Derived
 * from the table, so a syscall a runtime registers later (userfaultfd)
 * turns its option on.
 */
const BY_SYSCALL: readonly [string, string][] = [
  ['CONFIG_SYSVIPC', 'shmget'],
  ['CONFIG_POSIX_MQUEUE', 'mq_open'],
  ['CONFIG_FHANDLE', 'name_to_handle_at'],
  ['CONFIG_CROSS_MEMORY_ATTACH', 'process_vm_readv'],
  ['CONFIG_FUTEX', 'futex'],
  ['CONFIG_EPOLL', 'epoll_create1'],
  ['CONFIG_SIGNALFD', 'signalfd4'],
  ['CONFIG_TIMERFD', 'timerfd_create'],
  ['CONFIG_EVENTFD', 'eventfd2'],
  ['CONFIG_AIO', 'io_setup'],
  ['CONFIG_IO_URING', 'io_uring_setup'],
  ['CONFIG_ADVISE_SYSCALLS', 'madvise'],
  ['CONFIG_MEMBARRIER', 'membarrier'],
  ['CONFIG_RSEQ', 'rseq'],
  ['CONFIG_KCMP', 'kcmp'],
  ['CONFIG_CACHESTAT_SYSCALL', 'cachestat'],
  ['CONFIG_USERFAULTFD', 'userfaultfd'],
  ['CONFIG_MEMFD_CREATE', 'memfd_create'],
  ['CONFIG_FILE_LOCKING', 'flock'],
  ['CONFIG_INOTIFY_USER', 'inotify_init1'],
  ['CONFIG_FANOTIFY', 'fanotify_init'],
];

/** Linux's name for an architecture in the .config banner and its ARCH symbols. */
const ARCHES: Readonly<Record<string, { banner: string; symbols: readonly string[] }>> = {
  riscv64: { banner: 'riscv', symbols: ['CONFIG_RISCV'] },
  x86_64: { banner: 'x86', symbols: ['CONFIG_X86_64', 'CONFIG_X86'] },
};

/**
 * A kernel build configuration in Linux's .config syntax (scripts/kconfig):
 * what tskern really is, so that programs gating on the configuration (LTP's
 * tst_kconfig reads /boot/config-RELEASE) see the truth. Every symbol is
 * derived from what the composition root wired, never claimed blindly:
 *
 * - the architecture, MMU, 64-bit, SMP and PREEMPT_DYNAMIC (uname's version
 *   says "SMP PREEMPT_DYNAMIC"), NR_CPUS;
 * - one option per optional syscall (BY_SYSCALL), from the syscall table
 *   (SYSVIPC follows shmget: of what that option covers, tskern serves
 *   shared memory only; msgget and semget stay ENOSYS);
 * - KSM (madvise accepts MADV_MERGEABLE; /sys/kernel/mm/ksm exists; ksmd
 *   never merges), TRANSPARENT_HUGEPAGE with the policy NEVER (every page is
 *   4 KiB), SHMEM and TMPFS (/dev/shm, shared anonymous memory), PROC_FS,
 *   SYSFS, DEVTMPFS;
 * - not set: HUGETLBFS (no hugetlbfs), SWAP (nothing is swapped), NUMA (one
 *   node), MODULES (nothing loads), IKCONFIG (so no /proc/config.gz).
 * - CONFIG_MEMORY_FAILURE is not mentioned at all: tskern's machine reports
 *   no memory errors, so the option is not offered (its
 *   ARCH_SUPPORTS_MEMORY_FAILURE dependency is unmet), as on an x86-64 kernel
 *   without X86_MCE; madvise(MADV_HWPOISON) is EINVAL accordingly.
 *
 * EXPERT is set: only an EXPERT configuration may turn off options such as
 * FUTEX, EPOLL or AIO, which a table without their syscalls needs.
 */
export class KernelConfig {
  private readonly values: ReadonlyMap<string, ConfigValue>;

  constructor(
    /** The banner's architecture name ("riscv", "x86") and version. */
    private readonly banner: string,
    entries: readonly (readonly [string, ConfigValue])[],
  ) {
    this.values = new Map(entries);
  }

  /** The value of `symbol` ("CONFIG_KSM"), or undefined when the file does not mention it. */
  get(symbol: string): ConfigValue | undefined {
    return this.values.get(symbol);
  }

  /** The .config text: the banner comment, then one line per symbol in order. */
  text(): string {
    let out = `#\n# Automatically generated file; DO NOT EDIT.\n# ${this.banner} Kernel Configuration\n#\n`;
    for (const [name, value] of this.values) {
      if (value === 'n') out += `# ${name} is not set\n`;
      else if (typeof value === 'number' || value === 'y') out += `${name}=${value}\n`;
      else out += `${name}=${JSON.stringify(value)}\n`;
    }
    return out;
  }
}

/** The configuration of a kernel with `facts`. */
export function kernelConfigOf(facts: KernelFacts): KernelConfig {
  const arch = ARCHES[facts.machine];
  if (arch === undefined) throw new RangeError(`tskern: no kernel configuration for ${facts.machine}`);
  const version = /^\d+\.\d+\.\d+/.exec(facts.release)?.[0] ?? facts.release;
  const localVersion = facts.release.slice(version.length);
  const yes = (on: boolean): ConfigValue => (on ? 'y' : 'n');
  const entries: [string, ConfigValue][] = [
    ['CONFIG_LOCALVERSION', localVersion],
    ['CONFIG_DEFAULT_HOSTNAME', facts.defaultHostname],
    ['CONFIG_EXPERT', 'y'],
    ['CONFIG_IKCONFIG', 'n'],
    ...BY_SYSCALL.map(([symbol, call]): [string, ConfigValue] => [symbol, yes(facts.syscalls.has(call))]),
    ['CONFIG_64BIT', 'y'],
    ...arch.symbols.map((s): [string, ConfigValue] => [s, 'y']),
    ['CONFIG_MMU', 'y'],
    ['CONFIG_SMP', 'y'],
    ['CONFIG_NR_CPUS', facts.nrCpus],
    ['CONFIG_PREEMPT_DYNAMIC', 'y'],
    ['CONFIG_NUMA', 'n'],
    ['CONFIG_MODULES', 'n'],
    ['CONFIG_SWAP', 'n'],
    ['CONFIG_SHMEM', 'y'],
    ['CONFIG_KSM', 'y'],
    ['CONFIG_TRANSPARENT_HUGEPAGE', 'y'],
    ['CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS', 'n'],
    ['CONFIG_TRANSPARENT_HUGEPAGE_MADVISE', 'n'],
    ['CONFIG_TRANSPARENT_HUGEPAGE_NEVER', 'y'],
    ['CONFIG_DEVTMPFS', 'y'],
    ['CONFIG_PROC_FS', 'y'],
    ['CONFIG_SYSFS', 'y'],
    ['CONFIG_TMPFS', 'y'],
    ['CONFIG_HUGETLBFS', 'n'],
  ];
  return new KernelConfig(`Linux/${arch.banner} ${version}`, entries);
}
