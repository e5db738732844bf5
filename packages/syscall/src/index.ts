/**
 * @tskern/syscall — the syscall layer: one handler signature
 * `(task, a0..a5) => SyscallReturn`, arguments typed per syscall and
 * converted once from raw numbers or BigInts, one table per architecture
 * (x86-64, riscv64) over shared handlers, negative errno results, Blocks for
 * calls that must wait.
 */
export * from './host';
export * from './args';
export * from './block';
export * from './handler';
export { SYSCALLS } from './catalogue';
export { SyscallTable, invoke, type TableEntry } from './syscall-table';
export { SyscallDispatcher } from './dispatcher';
export type { Personality } from './arch/personality';
export { x86_64Abi, x86_64Personality, encodeStatX86_64 } from './arch/x86-64';
export { riscv64Abi, riscv64Personality, encodeStatGeneric } from './arch/riscv64';
export {
  riscv64SignalFrameBuilder, riscv64SignalFrameAbi, riscv64UserContext, isRiscv64UserContext, RISCV64_RT_SIGFRAME, RISCV64_FP_STATE_SIZE,
  RV_PC, RV_RA, RV_SP, RV_A0, RV_A1, RV_A2, type Riscv64UserContext,
} from './arch/riscv64-signal-frame';
export { encodeStatAs, type StatLayout } from './arch/stat-encoding';
export {
  x86_64SignalFrameBuilder, x86_64SignalFrameAbi, x86_64UserContext, isX86_64UserContext, X86_64_RT_SIGFRAME, X86_REG,
  type X86_64UserContext,
} from './arch/x86-64-signal-frame';
export { x86_64ContextAbi } from './arch/x86-64-context-abi';
export { riscv64ContextAbi, RV_TP } from './arch/riscv64-context-abi';
export type { UserMemory } from '@tskern/tasks';
export * from './fs';
export * from './mm/mmap';
export * from './mm/munmap';
export * from './mm/mprotect';
export * from './mm/mremap';
export * from './mm/msync';
export * from './mm/madvise';
export * from './mm/mincore';
export * from './proc/lifecycle';
export { CoreDumpSettings, coreDumpSettingsOf, CORENAME_MAX_SIZE } from './coredump/core-settings';
export { DUMP_FILTER, DUMP_FILTER_MASK } from './coredump/dump-size';
export * from './proc/clone';
export * from './proc/credentials';
export * from './futex/futex';
export * from './futex/robust-list';
export { kernelFutexes, futexesOf } from './futex/futex-host';
export * from './signal/sigaction';
export * from './signal/sigprocmask';
export * from './signal/sigaltstack';
export * from './signal/kill';
export * from './signal/itimer';
export { sendSignal, sendSigpipe, killGroup } from './signal/send-signal';
export { takeDeliverableSignal, settleDefaultSignals, notifyParent } from './signal/deliver';
export { handleSignal } from './signal/handle-signal';
export { signalsPending } from './signal/signal-state';
export { sysRtSigreturn } from './signal/rt-sigreturn';
export { forceSigFault, faultCode } from './signal/force-fault';
export { interruptBlockedCall, willRunHandler } from './signal/interrupt';
export { signalHostOf, type SignalHost, type SignalTimers } from './signal/signal-host';
export { signalFutexHooks } from './lifecycle-hooks';
export { provideBlockingServices, blockingServices, type BlockingServices } from './blocking/services';
export { BLOCKING_SYSCALLS } from './blocking/catalogue';
export * from './blocking/file-calls';
export { sysPipe, sysPipe2, readPipe, writePipe } from './blocking/pipe';
export { sysWaitid, P } from './blocking/waitid';
export { exitedStatus, signaledStatus, childInfo, CLD } from './blocking/wait-status';
export { sysGetrandom } from './blocking/getrandom';
export * from './time/clock';
export * from './time/nanosleep';
export { readTimespec, writeTimespec, TIMESPEC_SIZE } from './time/timespec-io';
export {
  provideSystemConfig, systemConfig, UTS_SYSNAME, NR_OPEN_DEFAULT, DEFAULT_RELEASE, DEFAULT_VERSION, DEFAULT_CPUS, type SystemConfig, type SystemOptions,
} from './system/system-config';
export { sysUname, sysSethostname, sysSetdomainname } from './system/uname';
export { sysSysinfo, uptimeSeconds } from './system/sysinfo';
export { sysGetrusage, processUsage, childUsage, encodeRusage, RUSAGE, RUSAGE_SIZE } from './system/rusage';
export { sysTimes, USER_HZ } from './system/times';
export {
  sysSchedGetaffinity, sysSchedSetaffinity, sysSchedGetscheduler, sysSchedGetparam, sysSchedGetPriorityMax, sysSchedGetPriorityMin,
  sysGetcpu, cpuMaskOf, SCHED,
} from './system/scheduler';
export { sysPrctl, PR } from './system/prctl';
export { SYSTEM_SYSCALLS } from './system/catalogue';
export { sysShmget, sysShmat, sysShmdt, sysShmctl } from './ipc/shm';
export { provideIpcNamespace, ipcNamespace } from './ipc/ipc-namespace';
export { SHMID64_DS_SIZE } from './ipc/shmid-ds';
