import { Errno, O, S } from '@tskern/abi';
import { DirsOnlyFs, ok, writePath } from '@tskern/test-kit';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { mountProc, ProcFs, type ProcessDirectory, type SysctlEntry } from './index';

function setup() {
  let pattern = 'core';
  let usesPid = 0;
  const filters = new Map([[7, 0x33]]);
  const sysctls: SysctlEntry[] = [
    { path: 'kernel/core_pattern', perm: 0o644, value: { kind: 'string', maxLength: 128, get: () => pattern, set: (v) => ((pattern = v), 0) } },
    { path: 'kernel/core_uses_pid', perm: 0o644, value: { kind: 'int', get: () => usesPid, set: (v) => ((usesPid = v), 0) } },
    { path: 'kernel/ostype', perm: 0o444, value: { kind: 'string', maxLength: 65, get: () => 'Linux' } },
  ];
  const processes: ProcessDirectory = {
    pids: () => [...filters.keys()],
    maps: (pid) => (filters.has(pid) ? '' : undefined),
    owner: (pid) => (filters.has(pid) ? { uid: 0, gid: 0 } : undefined),
    coredumpFilter: (pid) => filters.get(pid),
    setCoredumpFilter: (pid, v) => (filters.has(pid) ? (filters.set(pid, v & 0x1ff), 0) : -Errno.ESRCH),
  };
  const vfs = new Vfs(new DirsOnlyFs());
  expect(mountProc(vfs, new ProcFs({ processes, clock: () => 1000, sysctls }))).toBe(0);
  const task = (uid = 0): FsTask => ({ fs: vfs.newFsContext(), cred: uid === 0 ? Credentials.root() : new Credentials(uid, uid), pid: 7 });
  return { vfs, task, pattern: () => pattern, usesPid: () => usesPid };
}

function readAll(f: OpenFileDescription): string {
  const buf = new Uint8Array(256);
  const n = f.read(buf, 0, buf.length);
  f.decRef();
  return String.fromCharCode(...buf.subarray(0, Math.max(0, n)));
}


describe('/proc/sys', () => {
  it('shows each setting as a root-owned 0644 file under its directory', () => {
    const { vfs, task } = setup();
    const st = ok(vfs.stat(task(), '/proc/sys/kernel/core_pattern', true));
    expect([st.mode, st.uid, st.size]).toEqual([S.S_IFREG | 0o644, 0, 0]);
    expect(ok(vfs.stat(task(), '/proc/sys/kernel', true)).mode).toBe(S.S_IFDIR | 0o555);
    expect(vfs.stat(task(), '/proc/sys/kernel/nope', true)).toBe(-Errno.ENOENT);
    expect(readAll(ok(vfs.open(task(), '/proc/sys/kernel/core_pattern', O.O_RDONLY, 0)))).toBe('core\n');
  });

  it('lets root set a setting and refuses other users by mode (EACCES)', () => {
    const s = setup();
    expect(writePath(s.vfs, s.task(), '/proc/sys/kernel/core_pattern', '/tmp/dump-%p\n')).toBe(13);
    expect(s.pattern()).toBe('/tmp/dump-%p');
    expect(writePath(s.vfs, s.task(), '/proc/sys/kernel/core_uses_pid', '1')).toBe(1);
    expect(s.usesPid()).toBe(1);
    expect(writePath(s.vfs, s.task(), '/proc/sys/kernel/core_uses_pid', 'x')).toBe(-Errno.EINVAL);
    expect(writePath(s.vfs, s.task(1000), '/proc/sys/kernel/core_pattern', 'x')).toBe(-Errno.EACCES);
  });

  // Host Linux 6.18 as root: open("/proc/sys/kernel/ostype", O_WRONLY) is EACCES.
  it('refuses root a write-open of a read-only (0444) file, and reads it', () => {
    const s = setup();
    expect(s.vfs.open(s.task(), '/proc/sys/kernel/ostype', O.O_WRONLY, 0)).toBe(-Errno.EACCES);
    expect(s.vfs.open(s.task(), '/proc/sys/kernel/ostype', O.O_RDWR, 0)).toBe(-Errno.EACCES);
    expect(readAll(ok(s.vfs.open(s.task(1000), '/proc/sys/kernel/ostype', O.O_RDONLY, 0)))).toBe('Linux\n');
  });
});

describe('/proc/[pid]/coredump_filter', () => {
  it('reads eight hex digits and takes a kstrtouint number', () => {
    const { vfs, task } = setup();
    expect(readAll(ok(vfs.open(task(), '/proc/7/coredump_filter', O.O_RDONLY, 0)))).toBe('00000033\n');
    expect(writePath(vfs, task(), '/proc/self/coredump_filter', '0x7ff')).toBe(5);
    expect(readAll(ok(vfs.open(task(), '/proc/7/coredump_filter', O.O_RDONLY, 0)))).toBe('000001ff\n');
    expect(writePath(vfs, task(), '/proc/7/coredump_filter', ' 3')).toBe(-Errno.EINVAL);
  });
});
