/** USER_HZ: /proc/stat counts CPU time in clock ticks of 1/100 s. */
const USER_HZ = 100;

/** What /proc/stat shows, from the kernel's SystemFigures. */
export interface StatFigures {
  /** Online CPUs (cpu0..cpuN-1 lines). */
  readonly cpus: number;
  /** Idle time summed over the CPUs, in ns (split evenly between them). */
  readonly idleNs: number;
  /** Boot time in seconds since the epoch (btime). */
  readonly bootTimeSec: number;
  /** Tasks created since boot (total_forks: `processes`). */
  readonly forks: number;
  /** Runnable tasks (nr_running: `procs_running`). */
  readonly running: number;
  /** Tasks in uninterruptible sleep (nr_iowait: `procs_blocked`). */
  readonly blocked: number;
}

/**
 * /proc/stat (fs/proc/stat.c show_stat): the `cpu` total line (two spaces
 * after the name) and one `cpuN` line per online CPU, each with ten times
 * in USER_HZ ticks (user nice system idle iowait irq softirq steal guest
 * guest_nice; tskern accounts only idle here), `intr` and `ctxt` totals,
 * `btime`, `processes`, `procs_running`, `procs_blocked` and the ten
 * `softirq` counts.
 */
export function formatStat(f: StatFigures): string {
  const cpus = Math.max(1, f.cpus);
  const perCpuIdle = Math.floor(f.idleNs / cpus / (1e9 / USER_HZ));
  const line = (name: string, idle: number) => `${name} 0 0 0 ${idle} 0 0 0 0 0 0\n`;
  let s = line('cpu ', perCpuIdle * cpus);
  for (let i = 0; i < cpus; i++) s += line(`cpu${i}`, perCpuIdle);
  s += 'intr 0\nctxt 0\n';
  s += `btime ${Math.floor(f.bootTimeSec)}\n`;
  s += `processes ${f.forks}\n`;
  s += `procs_running ${f.running}\n`;
  s += `procs_blocked ${f.blocked}\n`;
  s += `softirq 0${' 0'.repeat(10)}\n`;
  return s;
}
