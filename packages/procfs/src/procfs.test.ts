import { Errno, O, S, SEEK } from '@tskern/abi';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { formatMounts, mountProc, ProcFs, type ProcessDirectory, type ProcessStatus } from './index';
import { DirsOnlyFs, ok } from '@tskern/test-kit';

/** A root file system for the tests: libfs directories, no regular files needed. */
interface FakeProcess {
  uid: number;
  gid: number;
  maps: string;
  ppid: number;
  name: string;
  zombie?: boolean;
  token: object;
}

/** A process table stand-in. */
class FakeProcesses implements ProcessDirectory {
  readonly table = new Map<number, FakeProcess>();
  mapsCalls = 0;

  add(pid: number, p: Partial<FakeProcess> = {}): FakeProcess {
    const proc = { uid: 0, gid: 0, maps: '', ppid: 1, name: 'init', token: {}, ...p };
    this.table.set(pid, proc);
    return proc;
  }
  pids(): Iterable<number> {
    return [...this.table.keys()].sort((a, b) => a - b);
  }
  maps(pid: number): string | undefined {
    this.mapsCalls++;
    const p = this.table.get(pid);
    return p === undefined ? undefined : p.zombie ? '' : p.maps;
  }
  owner(pid: number) {
    const p = this.table.get(pid);
    return p === undefined ? undefined : { uid: p.uid, gid: p.gid };
  }
  status(pid: number): ProcessStatus | undefined {
    const p = this.table.get(pid);
    if (p === undefined) return undefined;
    return { name: p.name, ppid: p.ppid, state: p.zombie ? 'zombie' : 'running', umask: 0o022, uid: p.uid, gid: p.gid, groups: [4, 27] };
  }
  incarnation(pid: number): object | undefined {
    return this.table.get(pid)?.token;
  }
}

const MAPS_1 =
  '00400000-00401000 r-xp 00000000 00:00 0 \n' +
  '7ffff7ff0000-7ffff7ff2000 rw-s 00000000 00:21 3                          /dev/shm/seg\n';

function setup(mountsText?: string) {
  const processes = new FakeProcesses();
  if (mountsText !== undefined) Object.assign(processes, { mounts: () => mountsText });
  const vfs = new Vfs(new DirsOnlyFs());
  const proc = new ProcFs({ processes, clock: () => 1000 });
  expect(mountProc(vfs, proc)).toBe(0);
  const task = (pid: number | undefined, uid = 0, gid = uid): FsTask => ({
    fs: vfs.newFsContext(),
    cred: uid === 0 ? Credentials.root() : new Credentials(uid, gid),
    ...(pid === undefined ? {} : { pid }),
  });
  return { processes, vfs, proc, task };
}

/** read(2) until EOF in `chunk`-byte pieces. */
function readAll(f: OpenFileDescription, chunk = 7): string {
  let out = '';
  const buf = new Uint8Array(chunk);
  for (;;) {
    const n = f.read(buf, 0, chunk);
    expect(n).toBeGreaterThanOrEqual(0);
    if (n === 0) return out;
    out += String.fromCharCode(...buf.subarray(0, n));
  }
}

function listDir(f: OpenFileDescription, task: FsTask, room = Infinity): [string, number][] {
  const out: [string, number][] = [];
  for (;;) {
    let taken = 0;
    const before = out.length;
    f.iterateDir((name, _ino, type) => {
      if (taken >= room) return false;
      taken++;
      out.push([name, type]);
      return true;
    }, task);
    if (out.length === before) return out;
  }
}

describe('/proc/self', () => {
  it('is a symlink to the caller pid; ENOENT for a caller without one', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { maps: MAPS_1 });
    expect(vfs.readlink(task(42), '/proc/self')).toBe('42');
    expect(vfs.readlink(task(7), '/proc/self')).toBe('7');
    expect(vfs.readlink(task(undefined), '/proc/self')).toBe(-Errno.ENOENT);
    const st = ok(vfs.stat(task(42), '/proc/self', false));
    expect(st).toMatchObject({ mode: S.S_IFLNK | 0o777, size: 0, uid: 0, nlink: 1 });
    // Following it lands in the caller's directory.
    const dir = ok(vfs.stat(task(42), '/proc/self', true));
    expect(dir.mode).toBe(S.S_IFDIR | 0o555);
    expect(vfs.stat(task(undefined), '/proc/self/maps', true)).toBe(-Errno.ENOENT);
  });
});

describe('/proc/[pid]/maps', () => {
  it('reads Linux text in small chunks through the VFS, st_size 0', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { maps: MAPS_1, uid: 1000, gid: 1000 });
    const me = task(42, 1000);
    const f = ok(vfs.open(me, '/proc/self/maps', O.O_RDONLY, 0));
    expect(f.stat()).toMatchObject({ size: 0, mode: S.S_IFREG | 0o444, uid: 1000, gid: 1000 });
    expect(readAll(f, 5)).toBe(MAPS_1);
    expect(readAll(f, 5)).toBe('');
    f.decRef();
  });

  it('successive reads continue one snapshot; a read from offset 0 takes a new one', () => {
    const { processes, vfs, task } = setup();
    const p = processes.add(42, { maps: MAPS_1 });
    const f = ok(vfs.open(task(42), '/proc/42/maps', O.O_RDONLY, 0));
    const buf = new Uint8Array(10);
    expect(f.read(buf, 0, 10)).toBe(10);
    p.maps = 'changed\n';
    expect(readAll(f, 3)).toBe(MAPS_1.slice(10)); // the rest of the first snapshot
    expect(f.lseek(0, SEEK.SEEK_SET)).toBe(0);
    expect(readAll(f, 3)).toBe('changed\n');
    // pread at 0 regenerates too; at another offset it continues or re-walks.
    p.maps = 'again\n';
    const b2 = new Uint8Array(64);
    expect(f.pread(b2, 0, 64, 0)).toBe(6);
    expect(String.fromCharCode(...b2.subarray(0, 6))).toBe('again\n');
    f.decRef();
  });

  it('open O_WRONLY or O_RDWR is EACCES for the owner (mode 0444); root may open but write is EINVAL', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { uid: 1000, gid: 1000, maps: MAPS_1 });
    expect(vfs.open(task(42, 1000), '/proc/self/maps', O.O_WRONLY, 0)).toBe(-Errno.EACCES);
    expect(vfs.open(task(42, 1000), '/proc/self/maps', O.O_RDWR, 0)).toBe(-Errno.EACCES);
    const f = ok(vfs.open(task(1), '/proc/42/maps', O.O_WRONLY, 0));
    expect(f.write(new Uint8Array(1), 0, 1)).toBe(-Errno.EINVAL);
    f.decRef();
    expect(vfs.truncate(task(42, 1000), '/proc/self/maps', 0)).toBe(-Errno.EACCES);
    expect(vfs.chmod(task(1), '/proc/42/maps', 0o666)).toBe(-Errno.EPERM);
  });

  it("another user's maps is EACCES at open (ptrace read access); root and the process itself may", () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { uid: 1000, gid: 1000, maps: MAPS_1 });
    processes.add(43, { uid: 1001, gid: 1001 });
    expect(vfs.open(task(43, 1001), '/proc/42/maps', O.O_RDONLY, 0)).toBe(-Errno.EACCES);
    ok(vfs.open(task(44, 1000), '/proc/42/maps', O.O_RDONLY, 0)).decRef(); // same uid and gid
    ok(vfs.open(task(1), '/proc/42/maps', O.O_RDONLY, 0)).decRef();
    // status stays world-readable.
    ok(vfs.open(task(43, 1001), '/proc/42/status', O.O_RDONLY, 0)).decRef();
  });

  it('a dead pid is ENOENT; an open file reads empty after the process is gone', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { maps: MAPS_1 });
    const f = ok(vfs.open(task(1), '/proc/42/maps', O.O_RDONLY, 0));
    const dir = ok(vfs.open(task(1), '/proc/42', O.O_RDONLY | O.O_DIRECTORY, 0));
    processes.table.delete(42);
    expect(vfs.open(task(1), '/proc/42/maps', O.O_RDONLY, 0)).toBe(-Errno.ENOENT);
    expect(vfs.stat(task(1), '/proc/42', true)).toBe(-Errno.ENOENT);
    expect(vfs.stat(task(1), '/proc/99', true)).toBe(-Errno.ENOENT);
    expect(readAll(f)).toBe('');
    expect(listDir(dir, task(1)).map(([n]) => n)).toEqual(['.', '..']);
    f.decRef();
    dir.decRef();
  });

  it('a reused pid is a new directory: a descriptor of the old one sees nothing', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { maps: 'old\n' });
    const dir = ok(vfs.open(task(1), '/proc/42', O.O_RDONLY | O.O_DIRECTORY, 0));
    const oldIno = dir.inode.ino;
    processes.add(42, { maps: 'new\n' }); // a fresh token: another process
    expect(listDir(dir, task(1)).map(([n]) => n)).toEqual(['.', '..']);
    const f = ok(vfs.open(task(1), '/proc/42/maps', O.O_RDONLY, 0));
    expect(readAll(f)).toBe('new\n');
    expect(f.path.dentry.parent?.inode.ino).not.toBe(oldIno);
    f.decRef();
    dir.decRef();
  });

  it('names that are not canonical pids are ENOENT', () => {
    const { processes, vfs, task } = setup();
    processes.add(42);
    for (const name of ['042', '+42', '42x', '4294967338', 'thread-self']) {
      expect(vfs.stat(task(1), `/proc/${name}`, true)).toBe(-Errno.ENOENT);
    }
  });
});

describe('/proc directories', () => {
  it('readdir /proc: fixed entries, self, then pids ascending, resumable in small batches', () => {
    const { processes, vfs, task } = setup('');
    processes.add(300);
    processes.add(1);
    processes.add(42);
    const d = ok(vfs.open(task(1), '/proc', O.O_RDONLY | O.O_DIRECTORY, 0));
    const all = listDir(d, task(1), 2);
    expect(all).toEqual([
      ['.', 4],
      ['..', 4],
      ['mounts', 10],
      ['self', 10],
      ['1', 4],
      ['42', 4],
      ['300', 4],
    ]);
    // A process appearing mid-listing after the position is seen; one before it is not repeated.
    const d2 = ok(vfs.open(task(1), '/proc', O.O_RDONLY | O.O_DIRECTORY, 0));
    const first: string[] = [];
    d2.iterateDir((name) => (first.length < 5 ? (first.push(name), true) : false), task(1));
    expect(first).toEqual(['.', '..', 'mounts', 'self', '1']);
    processes.table.delete(1);
    processes.add(100);
    expect(listDir(d2, task(1)).map(([n]) => n)).toEqual(['42', '100', '300']);
    d.decRef();
    d2.decRef();
  });

  it('stat: /proc is 0555 root with nlink 2 + processes; /proc/[pid] is owned by the process', () => {
    const { processes, vfs, task, proc } = setup();
    processes.add(1);
    processes.add(42, { uid: 1000, gid: 100 });
    expect(ok(vfs.stat(task(1), '/proc', true))).toMatchObject({ mode: S.S_IFDIR | 0o555, uid: 0, nlink: 4, size: 0, dev: proc.deviceId });
    expect(ok(vfs.stat(task(1), '/proc/42', true))).toMatchObject({ mode: S.S_IFDIR | 0o555, uid: 1000, gid: 100 });
    // Ownership follows the process's credentials (pid_revalidate).
    processes.table.get(42)!.uid = 0;
    expect(ok(vfs.stat(task(1), '/proc/42/maps', true)).uid).toBe(0);
    // Same inode each lookup.
    const a = ok(vfs.stat(task(1), '/proc/42/status', true)).ino;
    expect(ok(vfs.stat(task(1), '/proc/42/status', true)).ino).toBe(a);
  });

  it('readdir /proc/[pid] lists status, comm (with status), maps and (when offered) mounts', () => {
    const { processes, vfs, task } = setup('');
    processes.add(42);
    const d = ok(vfs.open(task(42), '/proc/self/', O.O_RDONLY | O.O_DIRECTORY, 0));
    expect(listDir(d, task(42), 1).map(([n]) => n)).toEqual(['.', '..', 'status', 'comm', 'maps', 'mounts']);
    d.decRef();
    const plain = setup();
    plain.processes.add(42);
    const d2 = ok(plain.vfs.open(plain.task(42), '/proc/42', O.O_RDONLY | O.O_DIRECTORY, 0));
    expect(listDir(d2, plain.task(42)).map(([n]) => n)).toEqual(['.', '..', 'status', 'comm', 'maps']);
    expect(plain.vfs.stat(plain.task(42), '/proc/42/mounts', true)).toBe(-Errno.ENOENT);
    expect(plain.vfs.stat(plain.task(42), '/proc/mounts', true)).toBe(-Errno.ENOENT);
    d2.decRef();
  });

  it('nothing can be created, removed or renamed', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { uid: 1000, gid: 1000 });
    const root = task(1);
    const user = task(42, 1000);
    expect(vfs.open(root, '/proc/new', O.O_CREAT | O.O_WRONLY, 0o644)).toBe(-Errno.EACCES);
    expect(vfs.open(user, '/proc/new', O.O_CREAT | O.O_WRONLY, 0o644)).toBe(-Errno.EACCES);
    expect(vfs.mkdir(root, '/proc/d', 0o755)).toBe(-Errno.EPERM);
    expect(vfs.mkdir(user, '/proc/d', 0o755)).toBe(-Errno.EACCES);
    expect(vfs.symlink(root, 'x', '/proc/l')).toBe(-Errno.EPERM);
    expect(vfs.unlink(root, '/proc/self')).toBe(-Errno.EPERM);
    expect(vfs.unlink(user, '/proc/42/maps')).toBe(-Errno.EACCES);
    expect(vfs.rmdir(root, '/proc/42')).toBe(-Errno.EPERM);
    expect(vfs.rename(root, '/proc/42/maps', '/proc/42/m')).toBe(-Errno.EPERM);
    expect(vfs.open(root, '/proc', O.O_TMPFILE | O.O_RDWR, 0o600)).toBe(-Errno.EOPNOTSUPP);
  });
});

describe('/proc/[pid]/status and /proc/mounts', () => {
  it('status prints Linux lines from Name to Groups', () => {
    const { processes, vfs, task } = setup();
    processes.add(42, { name: 'a-very-long-command-name\\x', ppid: 7, uid: 1000, gid: 1000 });
    const f = ok(vfs.open(task(42, 1000), '/proc/self/status', O.O_RDONLY, 0));
    expect(readAll(f, 11)).toBe(
      'Name:\ta-very-long-com\nUmask:\t0022\nState:\tR (running)\nTgid:\t42\nNgid:\t0\nPid:\t42\nPPid:\t7\n' +
        'TracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nFDSize:\t64\nGroups:\t4 27 \n',
    );
    processes.table.delete(42);
    expect(f.pread(new Uint8Array(8), 0, 8, 0)).toBe(-Errno.ESRCH);
    f.decRef();
  });

  it('status escapes newline and backslash in the name; a zombie has no Umask', () => {
    const { processes, vfs, task } = setup();
    processes.add(5, { name: 'a\nb\\c', zombie: true });
    const f = ok(vfs.open(task(1), '/proc/5/status', O.O_RDONLY, 0));
    const text = readAll(f, 100);
    expect(text.startsWith('Name:\ta\\nb\\\\c\nState:\tZ (zombie)\n')).toBe(true);
    expect(text).toContain('FDSize:\t0\n');
    f.decRef();
  });

  it('/proc/mounts is a symlink to self/mounts', () => {
    const mountsText = formatMounts([
      { source: 'proc', target: '/proc', type: 'proc', options: 'rw,nosuid,nodev,noexec,relatime' },
      { source: '/home/me/my dir', target: '/mnt/host', type: 'hostfs', options: 'rw' },
    ]);
    expect(mountsText).toBe('proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n/home/me/my\\040dir /mnt/host hostfs rw 0 0\n');
    const { processes, vfs, task } = setup(mountsText);
    processes.add(42);
    expect(vfs.readlink(task(42), '/proc/mounts')).toBe('self/mounts');
    const f = ok(vfs.open(task(42), '/proc/mounts', O.O_RDONLY, 0));
    expect(readAll(f)).toBe(mountsText);
    f.decRef();
  });
});
