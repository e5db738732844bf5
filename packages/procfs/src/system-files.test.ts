import { Errno, O, S } from '@tskern/abi';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { formatMeminfo, formatUptime, mountProc, ProcFs, type MemoryFigures, type ProcessDirectory } from './index';
import { DirsOnlyFs, encodeText, listPath, ok, readPath } from '@tskern/test-kit';

interface Proc {
  uid: number;
  name: string;
  argv: string[];
  exe?: string;
}

function setup() {
  const table = new Map<number, Proc>();
  const processes: ProcessDirectory = {
    pids: () => [...table.keys()],
    maps: (pid) => (table.has(pid) ? '' : undefined),
    owner: (pid) => {
      const p = table.get(pid);
      return p === undefined ? undefined : { uid: p.uid, gid: p.uid };
    },
    status: (pid) => {
      const p = table.get(pid);
      return p === undefined ? undefined : { name: p.name, ppid: 1, state: 'running', uid: p.uid, gid: p.uid };
    },
    setComm: (pid, caller, name) => {
      if (caller !== pid) return -Errno.EINVAL;
      table.get(pid)!.name = name;
      return 0;
    },
    cmdline: (pid) => table.get(pid)?.argv,
    exe: (pid) => table.get(pid)?.exe,
  };
  let memory: MemoryFigures = { totalBytes: 4096 * 1024, freeBytes: 4096 * 1000, mlockedBytes: 8192, shmemBytes: 4096 };
  let up = 12_345_678_901;
  const vfs = new Vfs(new DirsOnlyFs());
  const proc = new ProcFs({ processes, clock: () => 1000, system: { memory: () => memory, uptimeNs: () => up } });
  expect(mountProc(vfs, proc)).toBe(0);
  const task = (pid: number, uid = 0): FsTask => ({ fs: vfs.newFsContext(), cred: uid === 0 ? Credentials.root() : new Credentials(uid, uid), pid });
  return { table, vfs, task, setMemory: (m: MemoryFigures) => (memory = m), setUptime: (ns: number) => (up = ns) };
}

/** A whole file, read 64 bytes a call. */
function read(vfs: Vfs, t: FsTask, path: string): string {
  return readPath(vfs, t, path, 64);
}

describe('/proc/meminfo and /proc/uptime', () => {
  it('print Linux\'s line formats from the kernel\'s figures, generated at each read', () => {
    const { vfs, task, setMemory, setUptime } = setup();
    const lines = read(vfs, task(1), '/proc/meminfo').split('\n');
    expect(lines.slice(0, 3)).toEqual(['MemTotal:           4096 kB', 'MemFree:            4000 kB', 'MemAvailable:       4000 kB']);
    expect(lines).toContain('Mlocked:               8 kB');
    expect(lines).toContain('Shmem:                 4 kB');
    setMemory({ totalBytes: 2 ** 40, freeBytes: 0 });
    expect(read(vfs, task(1), '/proc/meminfo').split('\n')[0]).toBe('MemTotal:       1073741824 kB');
    expect(read(vfs, task(1), '/proc/uptime')).toBe('12.34 0.00\n');
    setUptime(5_009_999_999);
    expect(read(vfs, task(1), '/proc/uptime')).toBe('5.00 0.00\n');
    expect(ok(vfs.stat(task(1), '/proc/meminfo', true))).toMatchObject({ mode: S.S_IFREG | 0o444, uid: 0, size: 0 });
  });

  it('sit in the root in proc_subdir order (length, then name)', () => {
    const { vfs, task } = setup();
    expect(listPath(vfs, task(1), '/proc').slice(0, 2)).toEqual(['uptime', 'meminfo']);
  });

  it('formats alone as Linux does', () => {
    expect(formatMeminfo({ totalBytes: 1023, freeBytes: 0 }).split('\n')[0]).toBe('MemTotal:              0 kB');
    expect(formatUptime(99_990_000_000, 1_050_000_000)).toBe('99.99 1.05\n');
  });
});

describe('/proc/[pid]/comm, cmdline and exe', () => {
  it('comm shows the name and a newline; a write from the process sets its first 15 bytes, newline and all', () => {
    const { table, vfs, task } = setup();
    table.set(42, { uid: 1000, name: 'init', argv: [] });
    expect(read(vfs, task(42, 1000), '/proc/42/comm')).toBe('init\n');
    expect(ok(vfs.stat(task(42), '/proc/42/comm', true)).mode).toBe(S.S_IFREG | 0o644);
    const f = ok(vfs.open(task(42, 1000), '/proc/self/comm', O.O_WRONLY, 0));
    const text = encodeText('worker\n');
    expect(f.write(text, 0, text.length)).toBe(7);
    f.decRef();
    expect(read(vfs, task(42), '/proc/42/comm')).toBe('worker\n\n');
    const g = ok(vfs.open(task(1), '/proc/42/comm', O.O_WRONLY, 0));
    expect(g.write(text, 0, 3)).toBe(-Errno.EINVAL);
    g.decRef();
  });

  it('cmdline ends every argument with a NUL', () => {
    const { table, vfs, task } = setup();
    table.set(42, { uid: 0, name: 'sh', argv: ['/bin/sh', '-c', 'true'] });
    expect(read(vfs, task(7, 1000), '/proc/42/cmdline')).toBe('/bin/sh\0-c\0true\0');
  });

  it('exe is a symlink to the executable for who may read the process; ENOENT without one', () => {
    const { table, vfs, task } = setup();
    table.set(42, { uid: 1000, name: 'p', argv: [], exe: '/usr/bin/p' });
    table.set(43, { uid: 1000, name: 'q', argv: [] });
    expect(vfs.readlink(task(42, 1000), '/proc/self/exe')).toBe('/usr/bin/p');
    expect(vfs.readlink(task(1), '/proc/42/exe')).toBe('/usr/bin/p');
    expect(vfs.readlink(task(7, 2000), '/proc/42/exe')).toBe(-Errno.EACCES);
    expect(vfs.readlink(task(43, 1000), '/proc/self/exe')).toBe(-Errno.ENOENT);
    expect(ok(vfs.stat(task(42), '/proc/42/exe', false))).toMatchObject({ mode: S.S_IFLNK | 0o777, uid: 1000 });
    const d = ok(vfs.open(task(42), '/proc/42', O.O_RDONLY | O.O_DIRECTORY, 0));
    const names: [string, number][] = [];
    d.iterateDir((name, _ino, type) => (names.push([name, type]), true), task(42));
    d.decRef();
    const [DT_REG, DT_LNK] = [8, 10];
    expect(names.slice(2)).toEqual([['status', DT_REG], ['comm', DT_REG], ['cmdline', DT_REG], ['maps', DT_REG], ['exe', DT_LNK]]);
  });
});
