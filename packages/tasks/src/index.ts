/**
 * @tskern/tasks — tasks (threads) and the processes they form: spawn, clone
 * with its sharing flags, execve, exit, exit_group and wait over
 * `@tskern/mman` address spaces and `@tskern/vfs` fd tables, fs contexts and
 * credentials.
 */
export { Task, type TaskKernel, type TaskState } from './task';
export { ThreadGroup, type ThreadGroupState } from './thread-group';
export { emptyUsage, addUsage, type UsageTotals } from './usage';
export {
  TaskTable, DEFAULT_START_BRK, type ProgramImage, type TaskTableOptions, type SpawnParams, type WaitResult, type TaskLifecycleHooks,
} from './task-table';
export type { BinaryFormat, ExecImage, ExecFatal, ExecStrings } from './binary-format';
export { checkCloneFlags, type CloneArgs } from './clone-args';
export type { ArchAbi, ChildRegisters, CloneRegisters, SignalFrameAbi, UserContextAbi } from './arch-abi';
export { addressSpaceMemory, type UserMemory } from './user-memory';
export { PidAllocator, PID_MAX_DEFAULT, PID_MAX_LIMIT, RESERVED_PIDS, THREADS_MAX_DEFAULT } from './pid-allocator';
