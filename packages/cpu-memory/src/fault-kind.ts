import { PAGE_SIZE, Signal, type SignalNumber } from '@tskern/abi';
import type { AddressSpace } from '@tskern/mman';
import type { MemoryFaultKind } from '@tskern/rv64';

/**
 * The si_code of a failed user access, from the signal mman's fault path
 * gave (handleFault) and the state it left, as arch/riscv/mm/fault.c
 * decides: no VMA at the address (after a stack had its chance to grow), a
 * torn-down space or a guard marker (VM_FAULT_SIGSEGV from
 * handle_pte_marker, which mm_fault_error reports as SEGV_MAPERR) is
 * SEGV_MAPERR; a VMA whose protection forbids the access (access_error) is
 * SEGV_ACCERR; SIGBUS (a page wholly beyond the end of a file, or no frame
 * left) is BUS_ADRERR.
 */
export function faultKind(as: AddressSpace, signal: SignalNumber, address: number): MemoryFaultKind {
  if (signal === Signal.SIGBUS) return 'adrerr';
  if (as.released || as.vmas.find(address) === undefined) return 'maperr';
  if (as.guards.size !== 0 && as.guards.has(Math.floor(address / PAGE_SIZE))) return 'maperr';
  return 'accerr';
}
