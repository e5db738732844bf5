import type { ArchAbi } from '@tskern/tasks';
import type { SyscallTable } from '../syscall-table';

/**
 * An architecture as the syscall layer sees it: its ABI (layouts, argument
 * orders, the signal frame hook), which tasks carry, and its table of
 * numbers. Adding an architecture adds one of these; no handler changes.
 */
export interface Personality {
  readonly abi: ArchAbi;
  readonly table: SyscallTable;
}
