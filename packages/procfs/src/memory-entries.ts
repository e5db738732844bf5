import { CAP, Errno } from '@tskern/abi';
import { bytesFromByteString, capable } from '@tskern/vfs';
import { OOM_ENTRIES } from './oom-entries';
import { pagemapFile } from './pagemap-file';
import type { PidEntry } from './pid-entries';
import { procMemOpen } from './ptrace-access';
import { SeqFile } from './seq-file';
import { formatSmaps, formatSmapsRollup } from './smaps';

/**
 * smaps (proc_pid_smaps_operations): opened as maps is (ptrace read access,
 * EACCES; ESRCH for a process already gone); a process gone after the open
 * reads as empty.
 */
const smaps: PidEntry = {
  name: 'smaps',
  perm: 0o444,
  available: (p) => p.smaps !== undefined,
  open: (dir, caller) =>
    procMemOpen(dir, caller, () =>
      new SeqFile(() => {
        const reports = dir.alive ? dir.processes.smaps?.(dir.pid) : undefined;
        return bytesFromByteString(reports === undefined ? '' : formatSmaps(reports));
      }),
    ),
};

/**
 * smaps_rollup (smaps_rollup_open + show_smaps_rollup): the same open
 * checks; a read once the process has no memory is ESRCH.
 */
const smapsRollup: PidEntry = {
  name: 'smaps_rollup',
  perm: 0o444,
  available: (p) => p.smaps !== undefined,
  open: (dir, caller) =>
    procMemOpen(dir, caller, () =>
      new SeqFile(() => {
        const reports = dir.alive ? dir.processes.smaps?.(dir.pid) : undefined;
        return reports === undefined ? -Errno.ESRCH : bytesFromByteString(formatSmapsRollup(reports));
      }),
    ),
};

/**
 * pagemap (pagemap_open, mode 0400): ptrace read access to open (EACCES);
 * frame numbers only for an opener with CAP_SYS_ADMIN (pagemap_open's
 * file_ns_capable).
 */
const pagemap: PidEntry = {
  name: 'pagemap',
  perm: 0o400,
  available: (p) => p.pagemap !== undefined,
  open: (dir, caller) =>
    procMemOpen(dir, caller, () => pagemapFile(() => (dir.alive ? dir.processes.pagemap?.(dir.pid) : undefined), capable(caller.cred, CAP.CAP_SYS_ADMIN))),
};

/** The memory files of /proc/[pid], in tgid_base_stuff's order (after mounts: smaps, smaps_rollup, pagemap, oom_score, oom_score_adj). */
export const MEMORY_ENTRIES: readonly PidEntry[] = [smaps, smapsRollup, pagemap, ...OOM_ENTRIES];
