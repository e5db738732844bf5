/**
 * Signal numbers. x86-64 and asm-generic (riscv64) agree on every number, so
 * one table serves both personalities (arch/x86/include/uapi/asm/signal.h,
 * include/uapi/asm-generic/signal.h).
 */
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
} as const;

/** The kernel's first real-time signal (glibc reserves 32 and 33 for itself, the kernel does not). */
export const SIGRTMIN = 32;
/** The last signal number (_NSIG). */
export const SIGRTMAX = 64;
/** Number of signals (_NSIG): valid numbers are 1.._NSIG. */
export const NSIG = 64;

const names: string[] = [];
for (const [name, value] of Object.entries(SIG)) names[value] = name;

/** Whether `sig` is a signal number (valid_signal: 1..64; 0 is the kill(2) probe, not a signal). */
export function isValidSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= NSIG;
}

/** Whether `sig` is real-time (queued with its siginfo rather than coalesced). */
export function isRealtimeSignal(sig: number): boolean {
  return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

/** The abbreviation of a signal (`11` -> `SIGSEGV`, `34` -> `SIGRTMIN+2`), as strsignal/sigabbrev_np name them. */
export function signalAbbrev(sig: number): string {
  const name = names[sig];
  if (name !== undefined) return name;
  if (isRealtimeSignal(sig)) return sig === SIGRTMIN ? 'SIGRTMIN' : `SIGRTMIN+${sig - SIGRTMIN}`;
  return `SIG${sig}`;
}
