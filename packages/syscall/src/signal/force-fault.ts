import { Signal, type MemorySignal } from '@tskern/abi';
import type { AddressSpace } from '@tskern/mman';
import { BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR, SIG_IGN, faultSigInfo } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { sendSignal } from './send-signal';
import { actionsOf, blockedOf, setBlocked } from './signal-state';

/**
 * The si_code of a memory fault (arch do_page_fault / bad_area): SIGSEGV is
 * SEGV_ACCERR where a VMA covers the address (its protection forbade the
 * access), SEGV_MAPERR where none does; SIGBUS from a mapped object is
 * BUS_ADRERR (a page past the end of the file).
 */
export function faultCode(mm: AddressSpace, sig: MemorySignal, addr: number): number {
  if (sig === Signal.SIGBUS) return BUS_ADRERR;
  return mm.vmas.find(addr) !== undefined ? SEGV_ACCERR : SEGV_MAPERR;
}

/**
 * force_sig_fault: a fault the thread caused at `addr` is delivered to it
 * whatever its mask: a blocked or ignored fault signal is unblocked and its
 * action reset to SIG_DFL (force_sig_info_to_task), so the process dies
 * rather than loop on the faulting instruction.
 */
export function forceSigFault(task: Task, sig: MemorySignal, addr: number): number {
  const actions = actionsOf(task);
  const blocked = blockedOf(task).has(sig);
  if (blocked || actions.get(sig).handler === SIG_IGN) {
    actions.resetToDefault(sig);
    if (blocked) setBlocked(task, blockedOf(task).remove(sig));
  }
  return sendSignal(task, faultSigInfo(sig, faultCode(task.mm, sig, addr), addr), true);
}
