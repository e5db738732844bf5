import { describe, expect, it } from 'vitest';
import { CAP, CAP_FS_SET, CAP_FULL_SET, CAP_LAST_CAP, SECURE_ALL_BITS, capFromName, capList, capName, capValid } from './capability';

describe('capabilities (include/uapi/linux/capability.h)', () => {
  it('names as capsh prints them, parsed in any case with or without cap_', () => {
    expect(capName(CAP.CAP_SYS_RESOURCE)).toBe('cap_sys_resource');
    expect(capName(CAP_LAST_CAP)).toBe('cap_checkpoint_restore');
    expect(capFromName('cap_sys_resource')).toBe(24);
    expect(capFromName('SYS_RESOURCE')).toBe(24);
    expect(capFromName('CAP_CHOWN')).toBe(0);
    expect(capFromName('40')).toBe(40);
    expect(capFromName('41')).toBe(-1);
    expect(capFromName('nonsense')).toBe(-1);
  });

  it('the full set is /proc/self/status CapBnd of a root with every capability (41 bits)', () => {
    expect(CAP_FULL_SET.toString(16)).toBe('1ffffffffff');
    expect(capValid(CAP_LAST_CAP)).toBe(true);
    expect(capValid(CAP_LAST_CAP + 1)).toBe(false);
    // chown, dac_override, dac_read_search, fowner, fsetid, linux_immutable, mknod, mac_override
    expect(capList(CAP_FS_SET)).toEqual([0, 1, 2, 3, 4, 9, 27, 32]);
    // prctl(PR_SET_SECUREBITS) on the host accepts 0x100 and 0x400, not 0x1000.
    expect(SECURE_ALL_BITS).toBe(0x555);
  });
});
