/** Signal numbers of Linux x86-64 the memory subsystem delivers. */
export const Signal = {
  SIGBUS: 7,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGCHLD: 17,
} as const;

export type MemorySignal = typeof Signal.SIGBUS | typeof Signal.SIGSEGV;

/** The name of a signal number (`11` -> `SIGSEGV`). */
export function signalName(sig: number): string {
  for (const [name, value] of Object.entries(Signal)) if (value === sig) return name;
  return `SIG${sig}`;
}
