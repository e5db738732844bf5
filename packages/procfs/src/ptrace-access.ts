import { CAP, Errno } from '@tskern/abi';
import { capable, type FileOperations, type FsCaller } from '@tskern/vfs';
import type { PidDir } from './pid-dir';
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

/**
 * proc_mem_open (fs/proc/base.c), the open of every file that reads a
 * process's memory map (maps, smaps, smaps_rollup, pagemap): ESRCH for a
 * process already gone, EACCES without ptrace read access (mm_access);
 * otherwise the file `open` makes.
 */
export function procMemOpen(dir: PidDir, caller: FsCaller, open: () => FileOperations): FileOperations | number {
  const owner = dir.owner();
  if (owner === undefined) return -Errno.ESRCH;
  if (!mayReadProcess(caller, dir.pid, owner)) return -Errno.EACCES;
  return open();
}
