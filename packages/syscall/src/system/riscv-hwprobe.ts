import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { systemConfig } from './system-config';

/** The keys of struct riscv_hwprobe (arch/riscv/include/uapi/asm/hwprobe.h, Linux 6.18). */
export const HWPROBE_KEY = {
  MVENDORID: 0,
  MARCHID: 1,
  MIMPID: 2,
  BASE_BEHAVIOR: 3,
  IMA_EXT_0: 4,
  CPUPERF_0: 5,
  ZICBOZ_BLOCK_SIZE: 6,
  HIGHEST_VIRT_ADDRESS: 7,
  TIME_CSR_FREQ: 8,
  MISALIGNED_SCALAR_PERF: 9,
  MISALIGNED_VECTOR_PERF: 10,
  VENDOR_EXT_THEAD_0: 11,
  ZICBOM_BLOCK_SIZE: 12,
  VENDOR_EXT_SIFIVE_0: 13,
  VENDOR_EXT_MIPS_0: 14,
} as const;

/** RISCV_HWPROBE_WHICH_CPUS: the pairs are the question, the CPU set the answer. */
export const HWPROBE_WHICH_CPUS = 1;

/** RISCV_HWPROBE_KEY_IMA_EXT_0's bits for what the CPU has. */
const IMA_FD = 1n << 0n;
const IMA_C = 1n << 1n;
const EXT_ZCA = 1n << 43n;
const EXT_ZCD = 1n << 45n;
const EXT_ZICNTR = 1n << 50n;
const EXT_ZAAMO = 1n << 56n;
const EXT_ZALRSC = 1n << 57n;

/**
 * What @tskern/rv64's hart is: RV64GC (IMAFDC, Zicsr, Zifencei) with the
 * cycle, time and instret counters. As cpufeature.c expands it: C is Zca
 * (and Zcd with D; Zcf is RV32 only), A is Zaamo + Zalrsc, and the counters
 * are Zicntr. Not Zihpm: the hpmcounter CSRs are illegal instructions here.
 */
const EXT0 = IMA_FD | IMA_C | EXT_ZCA | EXT_ZCD | EXT_ZICNTR | EXT_ZAAMO | EXT_ZALRSC;
/** RISCV_HWPROBE_BASE_BEHAVIOR_IMA. */
const BASE_IMA = 1n;
/**
 * RISCV_HWPROBE_MISALIGNED_SCALAR_FAST: a misaligned load or store inside a
 * page is one access of the CPU, no trap (a page-crossing one goes byte by
 * byte); a kernel's probe (check_unaligned_access: word copies against byte
 * copies) finds it faster than bytes.
 */
const MISALIGNED_SCALAR_FAST = 3n;
/** RISCV_HWPROBE_MISALIGNED_VECTOR_UNSUPPORTED: no V, so vector_misaligned_access keeps its initial value. */
const MISALIGNED_VECTOR_UNSUPPORTED = 4n;
/** The timebase of the hart's `time` CSR: 10 MHz, @tskern/rv64's default (QEMU virt's). */
const TIME_CSR_HZ = 10_000_000n;
/** cpumask_size() with NR_CPUS <= 64: one unsigned long (as sched_getaffinity). */
const CPUMASK_SIZE = 8;
const PAIR = 16;
/** riscv_hwprobe_key_is_bitmask (arch/riscv/include/asm/hwprobe.h). */
const BITMASK_KEYS: ReadonlySet<number> = new Set([
  HWPROBE_KEY.BASE_BEHAVIOR, HWPROBE_KEY.IMA_EXT_0, HWPROBE_KEY.CPUPERF_0,
  HWPROBE_KEY.VENDOR_EXT_THEAD_0, HWPROBE_KEY.VENDOR_EXT_SIFIVE_0, HWPROBE_KEY.VENDOR_EXT_MIPS_0,
]);
const U64 = (1n << 64n) - 1n;

/** The value of `key` for the CPUs `cpus` (all alike: one hart model); null: a key Linux does not know. */
function hwprobeValue(task: Task, key: bigint): bigint | null {
  if (key < 0n || key > BigInt(HWPROBE_KEY.VENDOR_EXT_MIPS_0)) return null;
  switch (Number(key)) {
    // mvendorid, marchid, mimpid: 0, "not implemented", for a hart of no vendor.
    case HWPROBE_KEY.MVENDORID: case HWPROBE_KEY.MARCHID: case HWPROBE_KEY.MIMPID: return 0n;
    case HWPROBE_KEY.BASE_BEHAVIOR: return BASE_IMA;
    case HWPROBE_KEY.IMA_EXT_0: return EXT0;
    case HWPROBE_KEY.CPUPERF_0: case HWPROBE_KEY.MISALIGNED_SCALAR_PERF: return MISALIGNED_SCALAR_FAST;
    // user_max_virt_addr(): arch_get_mmap_end(ULONG_MAX) is STACK_TOP_MAX, the task size.
    case HWPROBE_KEY.HIGHEST_VIRT_ADDRESS: return BigInt(task.mm.options.taskSize);
    case HWPROBE_KEY.TIME_CSR_FREQ: return TIME_CSR_HZ;
    case HWPROBE_KEY.MISALIGNED_VECTOR_PERF: return MISALIGNED_VECTOR_UNSUPPORTED;
    // No Zicboz or Zicbom (block sizes 0), no T-Head, SiFive or MIPS vendor extensions.
    default: return 0n;
  }
}

/** The caller's CPU set (cpusetsize clamped to cpumask_size()), within the online CPUs; null: EFAULT. */
function readCpus(task: Task, cpusetsize: number, cpus: number): bigint | null {
  const n = Math.min(cpusetsize, CPUMASK_SIZE);
  const b = new Uint8Array(CPUMASK_SIZE);
  if (n > 0 && task.mem.copyIn(cpus, b, 0, n) < 0) return null;
  const online = (1n << BigInt(systemConfig(task).cpus)) - 1n;
  return new DataView(b.buffer).getBigUint64(0, true) & online;
}

function writeCpus(task: Task, cpusetsize: number, cpus: number, set: bigint): boolean {
  const n = Math.min(cpusetsize, CPUMASK_SIZE);
  const b = new Uint8Array(CPUMASK_SIZE);
  new DataView(b.buffer).setBigUint64(0, set, true);
  return task.mem.copyOut(cpus, b, 0, n) >= 0;
}

/** hwprobe_get_values: fill each pair's value; an unknown key becomes -1 with value 0. */
function getValues(task: Task, pairs: number, count: number, cpusetsize: number, cpus: number, flags: number): number {
  if (flags !== 0) return -Errno.EINVAL;
  // NULL and 0 are "every online CPU"; otherwise the set must hold one.
  if (cpusetsize !== 0 || cpus !== 0) {
    const set = readCpus(task, cpusetsize, cpus);
    if (set === null) return -Errno.EFAULT;
    if (set === 0n) return -Errno.EINVAL;
  }
  const pair = new Uint8Array(PAIR);
  const view = new DataView(pair.buffer);
  for (let i = 0; i < count; i++) {
    const at = pairs + i * PAIR;
    if (task.mem.copyIn(at, pair, 0, 8) < 0) return -Errno.EFAULT;
    const value = hwprobeValue(task, view.getBigInt64(0, true));
    if (value === null) view.setBigInt64(0, -1n, true);
    view.setBigUint64(8, (value ?? 0n) & U64, true);
    if (task.mem.copyOut(at, pair, 0, PAIR) < 0) return -Errno.EFAULT;
  }
  return 0;
}

/**
 * hwprobe_get_cpus: keep in the set the CPUs whose value of every pair's
 * key equals (for a bitmask key: holds every bit of) the given value; an
 * unknown key is rewritten to -1 and empties the set. An empty set asks
 * about every online CPU.
 */
function getCpus(task: Task, pairs: number, count: number, cpusetsize: number, cpus: number, flags: number): number {
  if (flags !== HWPROBE_WHICH_CPUS) return -Errno.EINVAL;
  if (cpusetsize === 0 || cpus === 0) return -Errno.EINVAL;
  let set = readCpus(task, cpusetsize, cpus);
  if (set === null) return -Errno.EFAULT;
  if (set === 0n) set = (1n << BigInt(systemConfig(task).cpus)) - 1n;
  let clearAll = false;
  const pair = new Uint8Array(PAIR);
  const view = new DataView(pair.buffer);
  for (let i = 0; i < count; i++) {
    const at = pairs + i * PAIR;
    if (task.mem.copyIn(at, pair, 0, PAIR) < 0) return -Errno.EFAULT;
    const key = view.getBigInt64(0, true);
    const have = hwprobeValue(task, key);
    if (have === null) {
      clearAll = true;
      const unknown = new Uint8Array(PAIR);
      new DataView(unknown.buffer).setBigInt64(0, -1n, true);
      if (task.mem.copyOut(at, unknown, 0, PAIR) < 0) return -Errno.EFAULT;
    }
    if (clearAll || have === null) continue;
    const want = view.getBigUint64(8, true);
    // riscv_hwprobe_pair_cmp: a bitmask key matches when every asked bit is there, the rest when equal.
    const same = BITMASK_KEYS.has(Number(key)) ? (have & want) === want : have === want;
    if (!same) set = 0n;
  }
  if (clearAll) set = 0n;
  return writeCpus(task, cpusetsize, cpus, set) ? 0 : -Errno.EFAULT;
}

/**
 * riscv_hwprobe(2) (arch/riscv/kernel/sys_hwprobe.c): what the hart offers,
 * as key-value pairs the caller fills with keys; with RISCV_HWPROBE_WHICH_CPUS,
 * which CPUs of a set match the pairs. Honest answers for @tskern/rv64.
 * glibc 2.41 asks at start-up (the misaligned-access speed picks memcpy).
 */
export function sysRiscvHwprobe(task: Task, pairs: number, count: number, cpusetsize: number, cpus: number, flags: number): number {
  if ((flags & HWPROBE_WHICH_CPUS) !== 0) return getCpus(task, pairs, count, cpusetsize, cpus, flags);
  return getValues(task, pairs, count, cpusetsize, cpus, flags);
}
