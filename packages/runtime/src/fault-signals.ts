import { Signal } from '@tskern/abi';
import type { CpuExit } from '@tskern/rv64';
import { SIG, SIG_IGN, faultSigInfo } from '@tskern/signal';
import { forceSigFault, sendSignal } from '@tskern/syscall';
import type { Task } from '@tskern/tasks';

/** si_codes of the synchronous signals a CPU trap raises (include/uapi/asm-generic/siginfo.h). */
const ILL_ILLOPC = 1;
const TRAP_BRKPT = 1;
const BUS_ADRALN = 1;

/**
 * force_sig_fault for a code other than a memory fault's: the signal is
 * unblocked and an ignored one reset to SIG_DFL first (as forceSigFault
 * does), so the process dies rather than loop on the instruction.
 */
function forceSignal(task: Task, sig: number, code: number, addr: number): void {
  const blocked = task.sigmask.has(sig);
  if (blocked || task.sighand.get(sig).handler === SIG_IGN) {
    task.sighand.resetToDefault(sig);
    if (blocked) task.sigmask = task.sigmask.remove(sig);
  }
  sendSignal(task, faultSigInfo(sig, code, addr), true);
}

/**
 * The signal a CPU trap raises, as arch/riscv/kernel/traps.c does: a memory
 * fault is SIGSEGV (SEGV_MAPERR/ACCERR at the address) or SIGBUS
 * (BUS_ADRERR; BUS_ADRALN for a misaligned atomic), an ebreak SIGTRAP
 * (TRAP_BRKPT at pc), an illegal instruction SIGILL (ILL_ILLOPC at pc).
 * Returns the signal sent.
 */
export function raiseTrapSignal(task: Task, exit: Exclude<CpuExit, { kind: 'ecall' | 'budget' }>): number {
  switch (exit.kind) {
    case 'fault':
      if (exit.fault === 'adraln') {
        forceSignal(task, SIG.SIGBUS, BUS_ADRALN, exit.address);
        return SIG.SIGBUS;
      }
      {
        const sig = exit.fault === 'adrerr' ? Signal.SIGBUS : Signal.SIGSEGV;
        forceSigFault(task, sig, exit.address);
        return sig;
      }
    case 'ebreak':
      forceSignal(task, SIG.SIGTRAP, TRAP_BRKPT, exit.pc);
      return SIG.SIGTRAP;
    case 'illegal':
      forceSignal(task, SIG.SIGILL, ILL_ILLOPC, exit.pc);
      return SIG.SIGILL;
  }
}
