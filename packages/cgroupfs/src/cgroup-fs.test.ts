import { Errno, FS_MAGIC, O, S } from '@tskern/abi';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { DirsOnlyFs, ok, writePath } from '@tskern/test-kit';
import { describe, expect, it } from 'vitest';
import { CgroupFs, cgroup2Type } from './index';
import { FakeCgroupHost } from './testing/fake-host';

function setup() {
  const vfs = new Vfs(new DirsOnlyFs());
  const host = new FakeCgroupHost();
  for (const pid of [1, 42, 43]) host.table.set(pid, { residentPages: 0, scoreAdj: 0 });
  const cg = new CgroupFs({ host, clock: () => 1000 });
  for (const pid of [1, 42, 43]) cg.hierarchy.processStarted(pid);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  expect(vfs.mkdir(root, '/cg', 0o755)).toBe(0);
  expect(vfs.mountCreating('/cg', cg)).toBe(0);
  return { vfs, host, cg, root };
}

function read(vfs: Vfs, t: FsTask, path: string): string | number {
  const f = vfs.open(t, path, O.O_RDONLY, 0);
  if (typeof f === 'number') return f;
  const buf = new Uint8Array(4096);
  const n = f.read(buf, 0, buf.length);
  f.decRef();
  return n < 0 ? n : new TextDecoder().decode(buf.subarray(0, n));
}


function names(vfs: Vfs, t: FsTask, path: string): string[] {
  const f = ok(vfs.open(t, path, O.O_RDONLY | O.O_DIRECTORY, 0));
  const out: string[] = [];
  expect(f.iterateDir((name) => {
    if (name !== '.' && name !== '..') out.push(name);
    return true;
  }, { cred: t.cred })).toBe(0);
  f.decRef();
  return out;
}

// Expected texts and errnos from the host (Linux 6.18, a cgroup2 mount with a
// child group): cgroup.type "domain", cgroup.events "populated 0\nfrozen 0",
// "+memory" where the controller is not available ENOENT, "+bogus" EINVAL,
// an unknown pid ESRCH, "abc" to cgroup.procs EINVAL, rmdir of a group with
// a child EBUSY. memory.* formats follow mm/memcontrol.c (the host's memory
// controller is bound to v1, so its v2 files could not be read).
describe('cgroup2 file system', () => {
  it('shows the root with every process and the memory controller', () => {
    const { vfs, root, cg } = setup();
    expect(read(vfs, root, '/cg/cgroup.controllers')).toBe('memory\n');
    expect(read(vfs, root, '/cg/cgroup.subtree_control')).toBe('\n');
    expect(read(vfs, root, '/cg/cgroup.procs')).toBe('1\n42\n43\n');
    expect(names(vfs, root, '/cg')).toEqual(['cgroup.controllers', 'cgroup.procs', 'cgroup.subtree_control']);
    expect(read(vfs, root, '/cg/cgroup.type')).toBe(-Errno.ENOENT);
    expect(cg.statfs().magic).toBe(FS_MAGIC.CGROUP2_SUPER_MAGIC);
    // Host: the root is dr-xr-xr-x, cgroup.procs -rw-r--r--, cgroup.controllers -r--r--r--, all of size 0.
    expect(ok(vfs.stat(root, '/cg', true)).mode).toBe(S.S_IFDIR | 0o555);
    expect(ok(vfs.stat(root, '/cg/cgroup.procs', true)).mode).toBe(S.S_IFREG | 0o644);
    expect(ok(vfs.stat(root, '/cg/cgroup.controllers', true)).mode).toBe(S.S_IFREG | 0o444);
    expect(Number(ok(vfs.stat(root, '/cg/cgroup.procs', true)).size)).toBe(0);
    // Host: touch is EACCES, rm of an interface file EPERM.
    expect(vfs.open(root, '/cg/x', O.O_CREAT | O.O_WRONLY, 0o644)).toBe(-Errno.EACCES);
    expect(vfs.unlink(root, '/cg/cgroup.procs')).toBe(-Errno.EPERM);
  });

  it('makes groups with mkdir, moves processes and keeps v2 rules', () => {
    const { vfs, root } = setup();
    expect(vfs.mkdir(root, '/cg/a', 0o755)).toBe(0);
    const st = ok(vfs.stat(root, '/cg/a', true));
    expect(st.mode).toBe(S.S_IFDIR | 0o755);
    expect(read(vfs, root, '/cg/a/cgroup.type')).toBe('domain\n');
    expect(read(vfs, root, '/cg/a/cgroup.events')).toBe('populated 0\nfrozen 0\n');
    expect(read(vfs, root, '/cg/a/cgroup.controllers')).toBe('\n');
    expect(read(vfs, root, '/cg/a/memory.max')).toBe(-Errno.ENOENT);
    expect(writePath(vfs, root, '/cg/a/cgroup.subtree_control', '+memory')).toBe(-Errno.ENOENT);
    expect(writePath(vfs, root, '/cg/cgroup.subtree_control', '+bogus')).toBe(-Errno.EINVAL);
    expect(writePath(vfs, root, '/cg/cgroup.subtree_control', 'memory')).toBe(-Errno.EINVAL);
    expect(writePath(vfs, root, '/cg/cgroup.subtree_control', '+memory')).toBe(7);
    expect(read(vfs, root, '/cg/cgroup.subtree_control')).toBe('memory\n');
    expect(read(vfs, root, '/cg/a/cgroup.controllers')).toBe('memory\n');
    expect(read(vfs, root, '/cg/a/memory.max')).toBe('max\n');
    expect(read(vfs, root, '/cg/a/memory.current')).toBe('0\n');
    expect(read(vfs, root, '/cg/a/memory.swap.current')).toBe('0\n');

    expect(writePath(vfs, root, '/cg/a/cgroup.procs', '999')).toBe(-Errno.ESRCH);
    expect(writePath(vfs, root, '/cg/a/cgroup.procs', 'abc')).toBe(-Errno.EINVAL);
    expect(writePath(vfs, root, '/cg/a/cgroup.procs', '\n')).toBe(-Errno.EINVAL);
    // Host: "0x1" is pid 1 (kstrtoint base 0).
    expect(writePath(vfs, root, '/cg/a/cgroup.procs', '0x2a')).toBe(4);
    expect(writePath(vfs, root, '/cg/cgroup.procs', '42')).toBe(2);
    expect(writePath(vfs, root, '/cg/a/cgroup.procs', '42\n')).toBe(3);
    expect(read(vfs, root, '/cg/a/cgroup.procs')).toBe('42\n');
    expect(read(vfs, root, '/cg/cgroup.procs')).toBe('1\n43\n');
    expect(read(vfs, root, '/cg/a/cgroup.events')).toBe('populated 1\nfrozen 0\n');
    // No internal processes: a group with processes cannot enable controllers for children.
    expect(writePath(vfs, root, '/cg/a/cgroup.subtree_control', '+memory')).toBe(-Errno.EBUSY);
    expect(vfs.rmdir(root, '/cg/a')).toBe(-Errno.EBUSY);

    expect(vfs.mkdir(root, '/cg/a/b', 0o755)).toBe(0);
    expect(writePath(vfs, root, '/cg/a/b/cgroup.procs', '42')).toBe(2);
    expect(writePath(vfs, root, '/cg/a/cgroup.subtree_control', '+memory')).toBe(7);
    // ... and once it does, no process may join it.
    expect(writePath(vfs, root, '/cg/a/cgroup.procs', '43')).toBe(-Errno.EBUSY);
    expect(vfs.rmdir(root, '/cg/a')).toBe(-Errno.EBUSY);
    expect(writePath(vfs, root, '/cg/cgroup.subtree_control', '-memory')).toBe(-Errno.EBUSY);
    expect(writePath(vfs, root, '/cg/cgroup.procs', '42')).toBe(2);
    expect(vfs.rmdir(root, '/cg/a/b')).toBe(0);
    expect(vfs.rmdir(root, '/cg/a')).toBe(0);
    expect(names(vfs, root, '/cg')).not.toContain('a');
  });

  it('rounds memory.max down to pages and reads "max" back', () => {
    const { vfs, root } = setup();
    expect(writePath(vfs, root, '/cg/cgroup.subtree_control', '+memory')).toBe(7);
    expect(vfs.mkdir(root, '/cg/a', 0o755)).toBe(0);
    expect(writePath(vfs, root, '/cg/a/memory.max', '12345\n')).toBe(6);
    expect(read(vfs, root, '/cg/a/memory.max')).toBe('12288\n');
    expect(writePath(vfs, root, '/cg/a/memory.max', '1M')).toBe(2);
    expect(read(vfs, root, '/cg/a/memory.max')).toBe('1048576\n');
    expect(writePath(vfs, root, '/cg/a/memory.max', 'abc')).toBe(-Errno.EINVAL);
    expect(writePath(vfs, root, '/cg/a/memory.max', '-1')).toBe(-Errno.EINVAL);
    expect(writePath(vfs, root, '/cg/a/memory.max', 'max')).toBe(3);
    expect(read(vfs, root, '/cg/a/memory.max')).toBe('max\n');
    expect(writePath(vfs, root, '/cg/a/memory.swap.max', '0')).toBe(1);
    expect(read(vfs, root, '/cg/a/memory.swap.max')).toBe('0\n');
    expect(read(vfs, root, '/cg/a/memory.events')).toBe('low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n');
    expect(vfs.open(root, '/cg/a/memory.current', O.O_WRONLY, 0)).toBe(-Errno.EACCES);
  });

  it('is the one hierarchy every cgroup2 mount shows, and takes no options', () => {
    const { cg } = setup();
    const type = cgroup2Type(cg);
    expect(type.mount({ source: 'cgroup2', parameters: [], readOnly: false, uid: 0, gid: 0 })).toBe(cg);
    expect(type.mount({ source: 'cgroup2', parameters: [{ key: 'memory_recursiveprot', value: null }], readOnly: false, uid: 0, gid: 0 })).toBe(-Errno.EINVAL);
  });
});
