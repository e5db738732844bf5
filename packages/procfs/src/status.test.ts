import { describe, expect, it } from 'vitest';
import { ProcFs } from './proc-fs';
import { formatStatus } from './status';

describe('status VmLck', () => {
  it('prints the locked size in kB as task_mem does, and nothing for a zombie', () => {
    const base = { name: 'a', ppid: 1, state: 'running' as const, uid: 0, gid: 0 };
    expect(formatStatus(5, { ...base, lockedBytes: 8192 })).toContain('\nGroups:\t \nVmLck:\t       8 kB\n');
    expect(formatStatus(5, base)).not.toContain('VmLck');
    expect(formatStatus(5, { ...base, state: 'zombie', lockedBytes: 8192 })).not.toContain('VmLck');
  });
});

describe('status Cap lines', () => {
  it('prints the five sets as %016llx, as task_cap (the host: root without CAP_SYS_RESOURCE, inheritable 0x4000)', () => {
    const base = { name: 'a', ppid: 1, state: 'running' as const, uid: 0, gid: 0 };
    const host = 0x1fffeffffffn;
    const caps = { inheritable: 0x4000n, permitted: host, effective: host, bounding: host, ambient: 0x4000n };
    expect(formatStatus(5, { ...base, caps })).toContain(
      '\nCapInh:\t0000000000004000\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000004000\n',
    );
    expect(formatStatus(5, base)).not.toContain('Cap');
  });
});

describe('proc statfs', () => {
  it('reports PROC_SUPER_MAGIC and zero counts, as simple_statfs', () => {
    const fs = new ProcFs({ processes: { pids: () => [], maps: () => undefined, owner: () => undefined } });
    expect(fs.statfs()).toEqual({ magic: 0x9fa0, blockSize: 4096, blocks: 0, freeBlocks: 0, availableBlocks: 0, files: 0, freeFiles: 0, nameMax: 255 });
  });
});
