/** A task's CPU time as the driver charges it (`Task.cpuTime`: user and system ns, read by getrusage and times). */
interface TaskCpuTime {
  userNs: number;
  systemNs: number;
}

/**
 * A host timer's ticks (Linux's jiffies): `ticks[0]` counts them, a timer
 * elsewhere (another thread) increments it. Reading it costs an array load
 * where a host clock read costs 0.1-0.3 µs.
 */
export interface CpuTickSource {
  readonly ticks: Int32Array;
}

/**
 * Where the driver tells the accounting that a task crossed between user
 * and kernel mode. Each call charges the time since the previous boundary
 * to the mode that just ended.
 */
export interface CpuAccounting {
  /** The task takes the CPU (its return to user mode starts its turn). */
  switchIn(time: TaskCpuTime): void;
  /** It trapped into the kernel (a call, a fault, the end of its budget): user time ends. */
  kernelEntry(): void;
  /** Its call returned to user mode: system time ends. */
  kernelExit(): void;
  /** Its turn is over (it sleeps, was preempted or ended). */
  switchOut(): void;
  /** The host idled (every task asleep): that time is no one's. */
  idle(): void;
}

/**
 * Exact accounting (as CONFIG_VIRT_CPU_ACCOUNTING_GEN): one host clock read
 * at every boundary. What the driver uses when it is given no tick source.
 */
export class ExactCpuAccounting implements CpuAccounting {
  private mark = 0;
  private time: TaskCpuTime = { userNs: 0, systemNs: 0 };

  constructor(private readonly clockNs: () => number) {}

  switchIn(time: TaskCpuTime): void {
    this.time = time;
    this.mark = this.clockNs();
  }

  kernelEntry(): void {
    const now = this.clockNs();
    this.time.userNs += now - this.mark;
    this.mark = now;
  }

  kernelExit(): void {
    const now = this.clockNs();
    this.time.systemNs += now - this.mark;
    this.mark = now;
  }

  switchOut(): void {}

  idle(): void {}
}

/** What tick accounting keeps per task: its exact run time and the ticks that fell in each mode. */
interface TickedTime {
  runNs: number;
  userTicks: number;
  systemTicks: number;
}

/**
 * Tick accounting, as Linux without VIRT_CPU_ACCOUNTING (kernel/sched/
 * cputime.c): the run time is exact (the scheduler's clock, read when a
 * task takes and leaves the CPU: two reads per turn, not two per call), and
 * each timer tick is charged to the mode the task was in when it fell
 * (account_process_tick). getrusage and times see the run time split in
 * the ratio of the ticks (cputime_adjust): all user time while no tick fell
 * in system mode, all system time while none fell in user mode, and
 * neither part ever decreasing. Totals are right to the clock; the split
 * is right to a tick, which is what Linux promises.
 */
export class TickCpuAccounting implements CpuAccounting {
  private readonly perTask = new WeakMap<TaskCpuTime, TickedTime>();
  private time: TaskCpuTime = { userNs: 0, systemNs: 0 };
  private ticked: TickedTime = { runNs: 0, userTicks: 0, systemTicks: 0 };
  private start = 0;
  /**
   * The clock at the last switchOut, NaN after `idle` or before the first
   * turn: the next switchIn starts there instead of reading the clock again
   * (what the host did in between is the scheduler's switch, charged to
   * the incoming task as Linux charges the rest of a switch to `next`).
   * One clock read per turn instead of two.
   */
  private lastOut = NaN;
  private lastTick: number;

  constructor(
    private readonly clockNs: () => number,
    private readonly source: CpuTickSource,
  ) {
    this.lastTick = source.ticks[0]!;
  }

  switchIn(time: TaskCpuTime): void {
    let ticked = this.perTask.get(time);
    if (ticked === undefined) {
      // Time charged before (another driver's, a test's) counts as run time already split.
      ticked = { runNs: time.userNs + time.systemNs, userTicks: 0, systemTicks: 0 };
      this.perTask.set(time, ticked);
    }
    this.time = time;
    this.ticked = ticked;
    // Ticks since the last boundary fell in the kernel (the switch itself).
    this.ticked.systemTicks += this.ticksSince();
    const out = this.lastOut;
    this.start = out === out ? out : this.clockNs();
  }

  kernelEntry(): void {
    const t = this.source.ticks[0]!;
    if (t !== this.lastTick) {
      this.ticked.userTicks += t - this.lastTick;
      this.lastTick = t;
    }
  }

  kernelExit(): void {
    const t = this.source.ticks[0]!;
    if (t !== this.lastTick) {
      this.ticked.systemTicks += t - this.lastTick;
      this.lastTick = t;
    }
  }

  switchOut(): void {
    const ticked = this.ticked;
    const now = this.clockNs();
    this.lastOut = now;
    ticked.runNs += now - this.start;
    adjust(this.time, ticked);
  }

  idle(): void {
    this.lastOut = NaN;
    this.ticksSince();
  }

  private ticksSince(): number {
    const t = this.source.ticks[0]!;
    const n = t - this.lastTick;
    this.lastTick = t;
    return n;
  }
}

/** cputime_adjust: split the run time in the ticks' ratio, neither part going backwards. */
function adjust(time: TaskCpuTime, ticked: TickedTime): void {
  const run = ticked.runNs;
  let system: number;
  if (ticked.systemTicks === 0) system = 0;
  else if (ticked.userTicks === 0) system = run;
  else system = (run * ticked.systemTicks) / (ticked.systemTicks + ticked.userTicks);
  if (system < time.systemNs) system = time.systemNs;
  let user = run - system;
  if (user < time.userNs) {
    user = time.userNs;
    system = run - user;
  }
  time.userNs = user;
  time.systemNs = system;
}
