declare const signalBrand: unique symbol;

/**
 * A signal number (1.._NSIG), branded so that a fault path's "deliver this
 * signal" cannot pass for an errno, a frame or a count: SIGBUS is 7 and
 * SIGSEGV 11, which as plain numbers would read as a length or an fd. `N`
 * keeps the literal (`SignalNumber<7>`) so constants still narrow. A type
 * only: the value is the plain number Linux uses.
 */
export type SignalNumber<N extends number = number> = N & { readonly [signalBrand]: 'SignalNumber' };

/** A positive number as a SignalNumber (callers check the range, e.g. valid_signal). */
export function asSignal<N extends number>(sig: N): SignalNumber<N> {
  return sig as SignalNumber<N>;
}

/** Signal numbers of Linux x86-64 the memory subsystem delivers. */
export const Signal = {
  SIGBUS: asSignal(7),
  SIGKILL: asSignal(9),
  SIGSEGV: asSignal(11),
  SIGCHLD: asSignal(17),
} as const;

export type MemorySignal = typeof Signal.SIGBUS | typeof Signal.SIGSEGV;

/**
 * The outcome of resolving a memory access (a page fault, a user copy): 0
 * when it may proceed, else the signal the access raises (SIGSEGV, SIGBUS),
 * as mm/memory.c:handle_mm_fault's VM_FAULT_SIGSEGV / VM_FAULT_SIGBUS map to
 * signals in arch/x86/mm/fault.c. Never an errno: a syscall turns it into
 * -EFAULT itself.
 */
export type FaultResult = 0 | SignalNumber;

/** The FaultResult of an access that may proceed. */
export const FAULT_OK = 0;

/** The name of a signal number (`11` -> `SIGSEGV`). */
export function signalName(sig: number): string {
  for (const [name, value] of Object.entries(Signal)) if (value === sig) return name;
  return `SIG${sig}`;
}
