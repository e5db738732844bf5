import { describe, expect, it } from 'vitest';
import { CLONE, Errno, MAP, PROT, Signal } from '@tskern/abi';
import { load, mmap, store } from '@tskern/mman';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs } from '@tskern/vfs';
import { spawnP, testAbi, testTable, THREAD } from './testing/task-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;

function table() {
  const { t, frames } = testTable({
    program: { stackSize: 64 * 1024 },
    vfs: (frames) => {
      const vfs = new Vfs(new RamFs({ frames }));
      vfs.mkdir(vfs.kernelTask(), '/work', 0o777);
      return vfs;
    },
  });
  const spawn = (cwd = '/') => spawnP(t, new Credentials(1000, 1000), cwd);
  return { t, frames, spawn };
}

function readInt(mem: { copyIn(a: number, d: Uint8Array, o: number, n: number): number }, addr: number): number {
  const b = new Uint8Array(4);
  mem.copyIn(addr, b, 0, 4);
  return new DataView(b.buffer).getInt32(0, true);
}

describe('TaskTable: processes', () => {
  it('spawns a registered program with a stack, and refuses an unknown one', () => {
    const { t, spawn } = table();
    const p = spawn();
    expect(p.stack.end - p.stack.start).toBe(64 * 1024);
    expect(p.pid).toBe(p.tid);
    expect(p.group.ppid).toBe(1);
    expect(t.spawn('/bin/none', { cred: Credentials.root(), abi: testAbi })).toBe(-Errno.ENOENT);
    expect(t.spawn('/bin/p', { cred: Credentials.root(), abi: testAbi, cwd: '/missing' })).toBe(-Errno.ENOENT);
  });

  it('forks copy-on-write memory and copies files and fs', () => {
    const { t, spawn } = table();
    const p = spawn('/work');
    const a = mmap(p.mm, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    store(p.mm, a, new Uint8Array([1, 2, 3]), 0, 3);
    const c = t.fork(p);
    expect(c.group).not.toBe(p.group);
    expect(c.group.parent).toBe(p.group);
    expect(c.group.ppid).toBe(p.pid);
    expect(c.files).not.toBe(p.files);
    expect(c.fs).not.toBe(p.fs);
    expect(c.cred).toBe(p.cred);
    store(c.mm, a, new Uint8Array([9]), 0, 1);
    const seen = new Uint8Array(1);
    load(p.mm, a, seen, 0, 1);
    expect(seen[0]).toBe(1);
  });

  it('exec drops every mapping, keeps the pid, and refuses a missing program', () => {
    const { t, spawn } = table();
    const p = spawn();
    const a = mmap(p.mm, 0, 4096, PROT.PROT_READ, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(t.exec(p, '/bin/p')).toBe(0);
    expect(p.mm.vmas.find(a)).toBeUndefined();
    expect(t.exec(p, '/bin/missing')).toBe(-Errno.ENOENT);
  });

  it('exit leaves a zombie until the parent waits, and returns every frame', () => {
    const { t, frames, spawn } = table();
    const p = spawn();
    const a = mmap(p.mm, 0, 8192, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    store(p.mm, a, new Uint8Array(8192), 0, 8192);
    const c = t.fork(p);
    expect(t.wait(p, c.pid, 0)).toBe(0);
    t.exitGroup(c, 3);
    expect(c.alive).toBe(false);
    expect(c.group.alive).toBe(false);
    const reaped = t.wait(p, -1, 0);
    expect(typeof reaped === 'object' && reaped.exitStatus).toBe(3);
    expect(t.wait(p, -1, 0)).toBe(-Errno.ECHILD);
    t.exitGroup(p, 0);
    expect(t.get(p.tid)).toBeUndefined();
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('passes orphans to the reaper, which reaps them at exit', () => {
    const { t, spawn } = table();
    const p = spawn();
    const c = t.fork(p);
    t.exitGroup(p, 0);
    expect(c.group.parent).toBeNull();
    expect(c.group.ppid).toBe(1);
    t.exitGroup(c, 0);
    expect(t.get(c.tid)).toBeUndefined();
    expect(t.group(c.pid)).toBeUndefined();
  });

  it('waits for clone children only with __WCLONE or __WALL', () => {
    const { t, spawn } = table();
    const p = spawn();
    const c = t.clone(p, { flags: 0, exitSignal: 0 });
    if (typeof c === 'number') throw new Error('clone');
    t.exitGroup(c, 1);
    expect(t.wait(p, -1, 0)).toBe(-Errno.ECHILD);
    expect(t.wait(p, -1, 0x80000000)).toBe(c.group);
  });
});

describe('TaskTable: changes', () => {
  it('moves when a task is created, ends, takes the leader\'s tid or is reaped, and not on a plain call', () => {
    const { t, spawn } = table();
    const seen = [t.changes];
    const step = (what: () => unknown): boolean => {
      what();
      const moved = t.changes !== seen[seen.length - 1];
      seen.push(t.changes);
      return moved;
    };
    let p = spawn();
    expect(seen[0]).not.toBe(t.changes);
    seen.push(t.changes);
    let child = p;
    expect(step(() => (child = t.fork(p)))).toBe(true);
    expect(step(() => mmap(child.mm, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0))).toBe(false);
    expect(step(() => t.wait(p, -1, 1 /* WNOHANG */))).toBe(false);
    let th = p;
    expect(step(() => (th = t.clone(p, { flags: THREAD, exitSignal: 0 }) as typeof p))).toBe(true);
    expect(step(() => t.exec(th, '/bin/p'))).toBe(true); // the leader ends, the thread takes its tid
    p = th;
    expect(step(() => t.exit(child, 0))).toBe(true);
    expect(step(() => t.wait(p, child.pid, 0))).toBe(true);
  });
});

describe('TaskTable: hooks', () => {
  it('tells of the mm release, the cleared child tid and the process exit, in Linux\'s order', () => {
    const log: string[] = [];
    const { t } = testTable({
      frames: 256,
      program: { stackSize: 8192 },
      hooks: {
        releasingMm: (task) => log.push(`mm ${task.tid}`),
        childTidCleared: (task, addr) => log.push(`cleared ${task.tid} ${addr === task.stack.end - 8}`),
        groupExited: (group) => {
          log.push(`exited ${group.tgid}`);
          return false;
        },
      },
    });
    const p = spawnP(t, Credentials.root());
    const th = t.clone(p, { flags: THREAD | CLONE.CLONE_CHILD_CLEARTID, exitSignal: 0, childTid: p.stack.end - 8 });
    if (typeof th === 'number') throw new Error('clone');
    t.exit(th, 0);
    t.exit(p, 0);
    expect(log).toEqual([`mm ${th.tid}`, `cleared ${th.tid} true`, `mm ${p.tid}`, `exited ${p.pid}`]);
  });
});

describe('TaskTable: threads', () => {
  it('CLONE_THREAD joins the group and shares every part', () => {
    const { t, spawn } = table();
    const p = spawn();
    const th = t.clone(p, { flags: THREAD, exitSignal: 0 });
    if (typeof th === 'number') throw new Error('clone');
    expect(th.pid).toBe(p.pid);
    expect(th.tid).not.toBe(p.tid);
    expect(th.group).toBe(p.group);
    expect(th.mm).toBe(p.mm);
    expect(th.files).toBe(p.files);
    expect(th.fs).toBe(p.fs);
    expect(th.sighand).toBe(p.sighand);
    expect(t.usersOf(p.mm)).toBe(2);
    expect(p.group.children.size).toBe(0);
  });

  it('refuses the flag combinations copy_process refuses', () => {
    const { t, spawn } = table();
    const p = spawn();
    expect(t.clone(p, { flags: CLONE.CLONE_THREAD, exitSignal: 0 })).toBe(-Errno.EINVAL);
    expect(t.clone(p, { flags: CLONE.CLONE_SIGHAND, exitSignal: 0 })).toBe(-Errno.EINVAL);
    expect(t.clone(p, { flags: CLONE.CLONE_NEWNS | CLONE.CLONE_FS, exitSignal: 0 })).toBe(-Errno.EINVAL);
    expect(t.clone(p, { flags: CLONE.CLONE_NEWPID, exitSignal: 0 })).toBe(-Errno.EINVAL);
  });

  it('stores the tid for CLONE_PARENT_SETTID and CLONE_CHILD_SETTID, and clears it at exit', () => {
    const { t, spawn } = table();
    const p = spawn();
    const at = p.stack.end - 16;
    const th = t.clone(p, {
      flags: THREAD | CLONE.CLONE_PARENT_SETTID | CLONE.CLONE_CHILD_SETTID | CLONE.CLONE_CHILD_CLEARTID | CLONE.CLONE_SETTLS,
      exitSignal: 0, parentTid: at, childTid: at + 4, tls: 0x1234,
    });
    if (typeof th === 'number') throw new Error('clone');
    expect(readInt(p.mem, at)).toBe(th.tid);
    expect(readInt(p.mem, at + 4)).toBe(th.tid);
    expect(th.clearChildTid).toBe(at + 4);
    expect(th.tls).toBe(0x1234);
    t.exit(th, 0);
    expect(readInt(p.mem, at + 4)).toBe(0);
    expect(t.get(th.tid)).toBeUndefined();
    expect(p.group.alive).toBe(true);
    expect(t.usersOf(p.mm)).toBe(1);
  });

  it('CLONE_CHILD_SETTID without CLONE_VM writes the child\'s copy only', () => {
    const { t, spawn } = table();
    const p = spawn();
    const at = p.stack.end - 16;
    const c = t.clone(p, { flags: CLONE.CLONE_CHILD_SETTID, exitSignal: Signal.SIGCHLD, childTid: at });
    if (typeof c === 'number') throw new Error('clone');
    expect(readInt(c.mem, at)).toBe(c.tid);
    expect(readInt(p.mem, at)).toBe(0);
  });

  it('exit ends one thread; the group is a zombie when its last thread exits, with that code', () => {
    const { t, spawn } = table();
    const parent = spawn();
    const p = t.fork(parent);
    const th = t.clone(p, { flags: THREAD, exitSignal: 0 });
    if (typeof th === 'number') throw new Error('clone');
    t.exit(p, 1); // the leader goes first
    expect(p.alive).toBe(false);
    expect(p.group.alive).toBe(true);
    expect(t.get(p.tid)).toBe(p); // a dead leader keeps the tgid
    t.exit(th, 5);
    expect(p.group.alive).toBe(false);
    const reaped = t.wait(parent, p.pid, 0);
    expect(typeof reaped === 'object' && reaped.exitStatus).toBe(5);
    expect(t.get(p.tid)).toBeUndefined();
  });

  it('exit_group ends every thread with one code', () => {
    const { t, frames, spawn } = table();
    const p = spawn();
    const th = t.clone(p, { flags: THREAD, exitSignal: 0 });
    if (typeof th === 'number') throw new Error('clone');
    t.exitGroup(th, 9);
    expect(p.alive).toBe(false);
    expect(th.alive).toBe(false);
    expect(p.group.alive).toBe(false);
    expect(t.group(p.pid)).toBeUndefined(); // a child of the reaper is reaped at once
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('execve from a thread kills the others and takes the leader\'s tid', () => {
    const { t, spawn } = table();
    const p = spawn();
    const tgid = p.pid;
    const th = t.clone(p, { flags: THREAD, exitSignal: 0 });
    const th2 = t.clone(p, { flags: THREAD, exitSignal: 0 });
    if (typeof th === 'number' || typeof th2 === 'number') throw new Error('clone');
    const oldTid = th.tid;
    const oldMm = p.mm;
    expect(t.exec(th, '/bin/p')).toBe(0);
    expect(th.tid).toBe(tgid);
    expect(th.isLeader).toBe(true);
    expect(p.alive).toBe(false);
    expect(th2.alive).toBe(false);
    expect(t.get(tgid)).toBe(th);
    expect(t.get(oldTid)).toBeUndefined();
    expect(th.mm).not.toBe(oldMm);
    expect(th.group.tasks.size).toBe(1);
  });

  it('a CLONE_VM child that execs leaves the shared address space to its parent', () => {
    const { t, spawn } = table();
    const p = spawn();
    const a = mmap(p.mm, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const c = t.clone(p, { flags: CLONE.CLONE_VM | CLONE.CLONE_VFORK, exitSignal: Signal.SIGCHLD });
    if (typeof c === 'number') throw new Error('clone');
    expect(c.mm).toBe(p.mm);
    expect(t.exec(c, '/bin/p')).toBe(0);
    expect(p.mm.vmas.find(a)).toBeDefined();
    expect(t.usersOf(p.mm)).toBe(1);
  });

  it('execve unshares the fd table: close-on-exec closes only the exec\'ing task\'s copy', () => {
    const { t, spawn } = table();
    const p = spawn();
    const c = t.clone(p, { flags: CLONE.CLONE_VM | CLONE.CLONE_FILES, exitSignal: Signal.SIGCHLD });
    if (typeof c === 'number') throw new Error('clone');
    const file = p.vfs.open(p, '/work/f', 0o102 /* O_RDWR|O_CREAT */, 0o600);
    if (typeof file === 'number') throw new Error(`open: ${file}`);
    const fd = p.files.install(file, true);
    expect(c.files).toBe(p.files);
    expect(t.usersOf(p.files)).toBe(2);
    expect(t.exec(c, '/bin/p')).toBe(0);
    expect(c.files).not.toBe(p.files);
    expect(c.files.get(fd)).toBeNull();
    expect(p.files.get(fd)).not.toBeNull();
    expect(t.usersOf(p.files)).toBe(1);
  });

  it('CLONE_FS shares the cwd and umask; without it the child has a copy', () => {
    const { t, spawn } = table();
    const p = spawn();
    const shared = t.clone(p, { flags: CLONE.CLONE_FS, exitSignal: Signal.SIGCHLD });
    const copied = t.fork(p);
    if (typeof shared === 'number') throw new Error('clone');
    expect(p.vfs.chdir(p, '/work')).toBe(0);
    p.fs.umask = 0o077;
    expect(shared.fs.umask).toBe(0o077);
    expect(p.vfs.getcwd(shared)).toBe('/work');
    expect(copied.fs.umask).toBe(0o022);
    expect(p.vfs.getcwd(copied)).toBe('/');
  });
});
