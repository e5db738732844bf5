import { STAT_GENERIC, SYS_RISCV64 } from '@tskern/abi';
import { SIGACTION_GENERIC } from '@tskern/signal';
import type { ArchAbi } from '@tskern/tasks';
import type { Stat } from '@tskern/vfs';
import { SYSCALLS } from '../catalogue';
import { SyscallTable } from '../syscall-table';
import type { Personality } from './personality';
import { riscv64ContextAbi } from './riscv64-context-abi';
import { riscv64SignalFrameAbi } from './riscv64-signal-frame';
import { encodeStatAs } from './stat-encoding';

/** The 128-byte asm-generic `struct stat` (include/uapi/asm-generic/stat.h). */
export function encodeStatGeneric(st: Stat): Uint8Array {
  return encodeStatAs(STAT_GENERIC, false, st);
}

/** riscv64: clone(flags, stack, parent_tid, tls, child_tid) (CONFIG_CLONE_BACKWARDS). */
export const riscv64Abi: ArchAbi = {
  name: 'riscv64',
  encodeStat: encodeStatGeneric,
  sigactionLayout: SIGACTION_GENERIC,
  cloneRegisters: (flags, stack, parentTid, tls, childTid) => ({ flags, stack, parentTid, childTid, tls }),
  signalFrame: riscv64SignalFrameAbi,
  userContext: riscv64ContextAbi,
};

/** A fresh riscv64 personality: the generic syscall numbers over the shared handlers. */
export function riscv64Personality(): Personality {
  return { abi: riscv64Abi, table: new SyscallTable(SYS_RISCV64, SYSCALLS) };
}
