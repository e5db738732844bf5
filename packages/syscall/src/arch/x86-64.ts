import { STAT, SYS } from '@tskern/abi';
import { SIGACTION_X86_64 } from '@tskern/signal';
import type { ArchAbi } from '@tskern/tasks';
import type { Stat } from '@tskern/vfs';
import { SYSCALLS } from '../catalogue';
import { SyscallTable } from '../syscall-table';
import type { Personality } from './personality';
import { encodeStatAs } from './stat-encoding';
import { x86_64ContextAbi } from './x86-64-context-abi';
import { x86_64SignalFrameAbi } from './x86-64-signal-frame';

/** The 144-byte x86-64 `struct stat` (arch/x86/include/uapi/asm/stat.h). */
export function encodeStatX86_64(st: Stat): Uint8Array {
  return encodeStatAs(STAT, true, st);
}

/** x86-64: clone(flags, stack, parent_tid, child_tid, tls) (CONFIG_CLONE_BACKWARDS is not set). */
export const x86_64Abi: ArchAbi = {
  name: 'x86_64',
  encodeStat: encodeStatX86_64,
  sigactionLayout: SIGACTION_X86_64,
  cloneRegisters: (flags, stack, parentTid, childTid, tls) => ({ flags, stack, parentTid, childTid, tls }),
  signalFrame: x86_64SignalFrameAbi,
  userContext: x86_64ContextAbi,
};

/** A fresh x86-64 personality (its own table, so registering a call changes only this kernel's). */
export function x86_64Personality(): Personality {
  return { abi: x86_64Abi, table: new SyscallTable(SYS, SYSCALLS) };
}
