import { Errno } from '@tskern/abi';
import { bytesFromByteString } from '@tskern/vfs';
import type { PidEntry } from './pid-entries';
import { SeqFile } from './seq-file';

/**
 * cgroup (kernel/cgroup/cgroup.c:proc_cgroup_show): the process's group in
 * each hierarchy, one line each. tskern has only the unified (v2)
 * hierarchy, so the one line is "0::" and the group's path. ESRCH once the
 * process is gone.
 */
export const cgroupEntry: PidEntry = {
  name: 'cgroup',
  perm: 0o444,
  available: (p) => p.cgroup !== undefined,
  open: (dir) =>
    new SeqFile(() => {
      const path = dir.alive ? dir.processes.cgroup?.(dir.pid) : undefined;
      return path === undefined ? -Errno.ESRCH : bytesFromByteString(`0::${path}\n`);
    }),
};
