import { DEFAULT_STACK_LIMIT, MMAP_MIN_ADDR, TASK_SIZE } from '@tskern/abi';
import type { MemoryCharger, SharedAnonymousFactory } from '@tskern/mm-api';
import type { FrameAllocator } from '@tskern/pagealloc';

/** Linux's default vm.max_map_count (DEFAULT_MAX_MAP_COUNT in include/linux/mm.h). */
export const DEFAULT_MAX_MAP_COUNT = 65530;

/**
 * @deprecated Use `DEFAULT_STACK_LIMIT` from `@tskern/abi` (the one
 * definition of RLIMIT_STACK's default); this alias goes in the next minor
 * release.
 */
export const DEFAULT_STACK_SIZE = DEFAULT_STACK_LIMIT;

/**
 * Where top-down placement starts: 128 MiB below the top of user space, the
 * minimum gap Linux keeps for the stack (mm/util.c:mmap_base, without ASLR).
 */
export const DEFAULT_MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;

/**
 * The vm sysctls mman enforces (mm/util.c, security/min_addr.c): one
 * mutable object that every address space of a kernel shares by reference,
 * so a write to /proc/sys/vm/max_map_count or mmap_min_addr reaches every
 * process at its next call, as Linux's globals do (exec copies the options
 * for its own layout, never these).
 */
export class MemoryTunables {
  constructor(
    /** vm.max_map_count: the most VMAs an address space may hold (ENOMEM past it). */
    public maxMapCount = DEFAULT_MAX_MAP_COUNT,
    /** vm.mmap_min_addr: the lowest address a mapping may use without CAP_SYS_RAWIO. */
    public mmapMinAddr = MMAP_MIN_ADDR,
  ) {}
}

/** What `memoryOptions` may be told: the layout and the tunables' starting values. */
export interface MemoryOverrides {
  readonly maxMapCount?: number;
  readonly mmapMinAddr?: number;
  readonly mmapBase?: number;
  readonly taskSize?: number;
  /** The memory controller faults charge to (see `MemoryOptions.charger`). */
  readonly charger?: MemoryCharger;
}

/** Kernel-wide settings every address space of one kernel shares. */
export interface MemoryOptions {
  /** The kernel-wide frame allocator (the same one file page caches use). */
  readonly frames: FrameAllocator;
  /** Makes the object behind MAP_SHARED|MAP_ANONYMOUS. */
  readonly sharedAnonymous: SharedAnonymousFactory;
  /** vm.max_map_count and vm.mmap_min_addr, shared and live. */
  readonly tunables: MemoryTunables;
  /** Highest address of top-down placement. */
  readonly mmapBase: number;
  /** End of user space (exclusive). */
  readonly taskSize: number;
  /**
   * The memory controller faults charge their frames to (a cgroup
   * hierarchy's), or none: nothing is charged. Set by the composition root.
   */
  readonly charger?: MemoryCharger;
}

/** Fill in defaults. */
export function memoryOptions(
  frames: FrameAllocator,
  sharedAnonymous: SharedAnonymousFactory,
  overrides: MemoryOverrides = {},
): MemoryOptions {
  return {
    frames,
    sharedAnonymous,
    tunables: new MemoryTunables(overrides.maxMapCount, overrides.mmapMinAddr),
    mmapBase: overrides.mmapBase ?? DEFAULT_MMAP_BASE,
    taskSize: overrides.taskSize ?? TASK_SIZE,
    ...(overrides.charger !== undefined ? { charger: overrides.charger } : {}),
  };
}
