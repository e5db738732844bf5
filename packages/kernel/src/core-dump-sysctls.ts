import type { SysctlEntry } from '@tskern/procfs';
import { CORENAME_MAX_SIZE, type CoreDumpSettings } from '@tskern/syscall';

/**
 * The core dump settings as /proc/sys shows them (kernel/sysctl tables of
 * fs/coredump.c and fs/exec.c): kernel.core_pattern (a string of at most
 * 127 bytes), kernel.core_uses_pid and fs.suid_dumpable (0..2), each mode
 * 0644. `settings` is asked for at each access, so the object may be made
 * after procfs.
 */
export function coreDumpSysctls(settings: () => CoreDumpSettings): SysctlEntry[] {
  return [
    {
      path: 'kernel/core_pattern',
      perm: 0o644,
      value: {
        kind: 'string', maxLength: CORENAME_MAX_SIZE,
        get: () => settings().pattern,
        set: (v) => {
          settings().pattern = v;
          return 0;
        },
      },
    },
    {
      path: 'kernel/core_uses_pid',
      perm: 0o644,
      value: {
        kind: 'int',
        get: () => settings().usesPid,
        set: (v) => {
          settings().usesPid = v;
          return 0;
        },
      },
    },
    {
      path: 'fs/suid_dumpable',
      perm: 0o644,
      value: { kind: 'int', get: () => settings().suidDumpable, set: (v) => settings().setSuidDumpable(v) },
    },
  ];
}
