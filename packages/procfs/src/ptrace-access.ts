import { CAP } from '@tskern/abi';
import { capable, type FsCaller } from '@tskern/vfs';
import type { ProcessOwner } from './process-directory';

/**
 * ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS), as /proc/[pid]/maps
 * asks it at open (proc_mem_open -> mm_access): the process itself, a caller
 * with CAP_SYS_PTRACE, or a caller whose fsuid and fsgid match
 * the target's ids (__ptrace_may_access compares them with the real,
 * effective and saved ids, which are one value here).
 */
export function mayReadProcess(caller: FsCaller, pid: number, owner: ProcessOwner): boolean {
  if (caller.pid === pid) return true;
  if (capable(caller.cred, CAP.CAP_SYS_PTRACE)) return true;
  return caller.cred.fsuid === owner.uid && caller.cred.fsgid === owner.gid;
}
