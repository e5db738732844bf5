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

/** Kernel-wide settings every address space of one kernel shares. */
export interface MemoryOptions {
  /** The kernel-wide frame allocator (the same one file page caches use). */
  readonly frames: FrameAllocator;
  /** Makes the object behind MAP_SHARED|MAP_ANONYMOUS. */
  readonly sharedAnonymous: SharedAnonymousFactory;
  /** vm.max_map_count. */
  readonly maxMapCount: number;
  /** vm.mmap_min_addr. */
  readonly mmapMinAddr: number;
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
  overrides: Partial<Omit<MemoryOptions, 'frames' | 'sharedAnonymous'>> = {},
): MemoryOptions {
  return {
    frames,
    sharedAnonymous,
    maxMapCount: overrides.maxMapCount ?? DEFAULT_MAX_MAP_COUNT,
    mmapMinAddr: overrides.mmapMinAddr ?? MMAP_MIN_ADDR,
    mmapBase: overrides.mmapBase ?? DEFAULT_MMAP_BASE,
    taskSize: overrides.taskSize ?? TASK_SIZE,
    ...(overrides.charger !== undefined ? { charger: overrides.charger } : {}),
  };
}
