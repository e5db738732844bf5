/**
 * The status word wait4(2) stores (include/uapi/linux/wait.h's W* macros
 * read it): an exit puts the code in bits 8..15; a death by a signal puts the
 * signal in bits 0..6 and 0x80 when it dumped core.
 */
export function exitedStatus(code: number): number {
  return (code & 0xff) << 8;
}

/** The status of a process a signal killed (with a core dump when `core`). */
export function signaledStatus(signal: number, core = false): number {
  return (signal & 0x7f) | (core ? 0x80 : 0);
}

/** si_code values of a SIGCHLD siginfo (include/uapi/asm-generic/siginfo.h). */
export const CLD = { CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3 } as const;

/** What waitid(2) reports of a status word (wait_task_zombie): si_code and si_status. */
export function childInfo(status: number): { code: number; status: number } {
  const sig = status & 0x7f;
  if (sig === 0) return { code: CLD.CLD_EXITED, status: (status >> 8) & 0xff };
  return { code: (status & 0x80) !== 0 ? CLD.CLD_DUMPED : CLD.CLD_KILLED, status: sig };
}
