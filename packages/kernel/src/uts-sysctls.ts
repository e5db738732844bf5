import type { SysctlEntry } from '@tskern/procfs';
import { UTS_SYSNAME, type SystemConfig } from '@tskern/syscall';

/** sizeof(utsname.nodename) and its siblings: __NEW_UTS_LEN + 1, so 64 bytes of text at most. */
const UTS_FIELD = 65;

/**
 * uname's strings as kernel/utsname_sysctl.c's uts_kern_table shows them
 * (proc_do_uts_string over the one UTS namespace): ostype, osrelease and
 * version read-only (0444), hostname and domainname 0644, where a write by
 * root is what sethostname/setdomainname do (no capability asked beyond
 * the mode, as Linux's handler). Each read shows what uname(2) reports now.
 */
export function utsSysctls(config: () => SystemConfig): SysctlEntry[] {
  const fixed = (path: string, get: () => string): SysctlEntry => ({ path, perm: 0o444, value: { kind: 'string', maxLength: UTS_FIELD, get } });
  return [
    fixed('kernel/ostype', () => UTS_SYSNAME),
    fixed('kernel/osrelease', () => config().release),
    fixed('kernel/version', () => config().version),
    {
      path: 'kernel/hostname',
      perm: 0o644,
      value: {
        kind: 'string', maxLength: UTS_FIELD,
        get: () => config().hostname,
        set: (v) => ((config().hostname = v), 0),
      },
    },
    {
      path: 'kernel/domainname',
      perm: 0o644,
      value: {
        kind: 'string', maxLength: UTS_FIELD,
        get: () => config().domainname,
        set: (v) => ((config().domainname = v), 0),
      },
    },
  ];
}
