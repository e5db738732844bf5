import { describe, expect, it } from 'vitest';
import { AT, AT_FDCWD, CLONE, Errno, O, STAT, STAT_GENERIC, SYS, SYS_RISCV64 } from '@tskern/abi';
import { createKernel, type Kernel } from './kernel';
import { encodeCString } from '@tskern/test-kit';

const R = SYS_RISCV64;

function cstr(k: Kernel, pid: number, text: string, at: number): number {
  k.store(pid, at, encodeCString(text));
  return at;
}

function readInt(k: Kernel, pid: number, at: number): number {
  const b = new Uint8Array(4);
  k.load(pid, at, b);
  return new DataView(b.buffer).getInt32(0, true);
}

describe('per-architecture tables over shared handlers', () => {
  it('a riscv64 task uses the generic numbers, the *at calls and the 128-byte struct stat', () => {
    const k = createKernel();
    k.registerProgram('/bin/rv', {});
    const p = k.spawn('/bin/rv', { arch: 'riscv64' });
    const top = k.stack(p).end;
    const path = cstr(k, p, '/data', top - 4096);
    const fd = k.syscall(p, R.openat, AT_FDCWD, path, O.O_RDWR | O.O_CREAT, 0o640);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(k.syscall(p, R.ftruncate, fd, 12345)).toBe(0);
    const st = top - 8192;
    expect(k.syscall(p, R.newfstatat, AT_FDCWD, path, st, 0)).toBe(0);
    const b = new Uint8Array(STAT_GENERIC.size);
    k.load(p, st, b);
    const v = new DataView(b.buffer);
    expect(Number(v.getBigInt64(STAT_GENERIC.st_size, true))).toBe(12345);
    expect(v.getUint32(STAT_GENERIC.st_mode, true) & 0o777).toBe(0o640);
    expect(v.getUint32(STAT_GENERIC.st_nlink, true)).toBe(1);
    // AT_EMPTY_PATH: the descriptor itself.
    const empty = cstr(k, p, '', top - 4000);
    expect(k.syscall(p, R.newfstatat, fd, empty, st, AT.AT_EMPTY_PATH)).toBe(0);
    expect(k.syscall(p, R.newfstatat, fd, empty, st, 0)).toBe(-Errno.ENOENT);
    expect(k.syscall(p, R.newfstatat, fd, empty, st, 0x8)).toBe(-Errno.EINVAL);
    // x86-64's open (2) is not a riscv64 syscall.
    expect(k.syscall(p, SYS.open, path, 0, 0)).toBe(-Errno.ENOSYS);
    expect(k.syscall(p, R.getpid)).toBe(p);
    expect(k.syscall(p, R.exit_group, 0)).toBe(0);
  });

  it('an x86-64 task stats into the 144-byte layout through the same handler', () => {
    const k = createKernel();
    k.registerProgram('/bin/x', {});
    const p = k.spawn('/bin/x');
    const top = k.stack(p).end;
    const path = cstr(k, p, '/data', top - 4096);
    const fd = k.syscall(p, SYS.openat, AT_FDCWD, path, O.O_RDWR | O.O_CREAT, 0o600);
    expect(k.syscall(p, SYS.ftruncate, fd, 777)).toBe(0);
    const st = top - 8192;
    expect(k.syscall(p, SYS.newfstatat, AT_FDCWD, path, st, AT.AT_SYMLINK_NOFOLLOW)).toBe(0);
    const b = new Uint8Array(STAT.size);
    k.load(p, st, b);
    expect(Number(new DataView(b.buffer).getBigInt64(STAT.st_size, true))).toBe(777);
  });

  it('clone takes its arguments in each architecture\'s order', () => {
    const flags = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD |
      CLONE.CLONE_SETTLS | CLONE.CLONE_CHILD_SETTID | CLONE.CLONE_PARENT_SETTID;
    for (const [arch, nr, order] of [
      ['x86_64', SYS.clone, (ptid: number, ctid: number, tls: number) => [ptid, ctid, tls]],
      ['riscv64', R.clone, (ptid: number, ctid: number, tls: number) => [ptid, tls, ctid]],
    ] as const) {
      const k = createKernel();
      k.registerProgram('/bin/t', {});
      const p = k.spawn('/bin/t', { arch });
      const top = k.stack(p).end;
      const [a2, a3, a4] = order(top - 16, top - 32, 0x7000);
      const tid = k.syscall(p, nr, flags, 0, a2, a3, a4);
      expect(tid, arch).toBeGreaterThan(p);
      expect(readInt(k, p, top - 16)).toBe(tid);
      expect(readInt(k, p, top - 32)).toBe(tid);
      expect(k.tasks.get(tid)?.tls).toBe(0x7000);
    }
  });
});

describe('threads through the runtime interface', () => {
  const THREAD = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD;

  it('getpid is the tgid, gettid the tid; exit ends a thread, exit_group the process', () => {
    const k = createKernel();
    k.registerProgram('/bin/t', {});
    const p = k.spawn('/bin/t');
    const parent = k.spawn('/bin/t');
    expect(parent).toBeGreaterThan(p);
    const t = k.syscall(p, SYS.clone, THREAD, 0, 0, 0, 0);
    expect(k.syscall(t, SYS.getpid)).toBe(p);
    expect(k.syscall(t, SYS.gettid)).toBe(t);
    expect(k.syscall(p, SYS.gettid)).toBe(p);
    expect(k.syscall(t, SYS.set_tid_address, 0x1000)).toBe(t);
    // A file opened by one thread is in the other's table (CLONE_FILES).
    const path = cstr(k, p, '/shared', k.stack(p).end - 4096);
    const fd = k.syscall(t, SYS.open, path, O.O_RDWR | O.O_CREAT, 0o600);
    expect(k.syscall(p, SYS.close, fd)).toBe(0);
    expect(k.syscall(t, SYS.exit, 0)).toBe(0);
    expect(k.isAlive(t)).toBe(false);
    expect(k.isAlive(p)).toBe(true);
    const t2 = k.syscall(p, SYS.clone, THREAD, 0, 0, 0, 0);
    expect(k.syscall(t2, SYS.exit_group, 4)).toBe(0);
    expect(k.isAlive(p)).toBe(false);
    expect(k.syscall(p, SYS.getpid)).toBe(-Errno.ESRCH);
  });

  it('wait4 without WNOHANG blocks (kernel.callOrBlock) and answers EAGAIN through kernel.syscall', () => {
    const k = createKernel();
    k.registerProgram('/bin/t', {});
    const p = k.spawn('/bin/t');
    const c = k.syscall(p, SYS.fork);
    expect(k.syscall(p, SYS.wait4, -1, 0, 0, 0)).toBe(-Errno.EAGAIN);
    const block = k.callOrBlock(p, SYS.wait4, -1, 0, 0, 0);
    if (typeof block !== 'object') throw new Error('expected a block');
    expect(block.reason).toBe('wait4(-1)');
    expect(block.restart).toBe('sys');
    expect(typeof block.retry()).toBe('object'); // still running: sleep again
    k.syscall(c, SYS.exit_group, 2);
    expect(block.retry()).toBe(c);
    expect(k.syscall(p, SYS.wait4, -1, 0, 1, 0)).toBe(-Errno.ECHILD);
  });

  it('a setuid in one thread is seen by that thread\'s next permission check', () => {
    const k = createKernel();
    k.registerProgram('/bin/t', {});
    const p = k.spawn('/bin/t');
    const dir = cstr(k, p, '/private', k.stack(p).end - 4096);
    expect(k.syscall(p, SYS.mkdir, dir, 0o700)).toBe(0);
    const t = k.syscall(p, SYS.clone, THREAD, 0, 0, 0, 0);
    expect(k.syscall(t, SYS.setresuid, 1000, 1000, 1000)).toBe(0);
    const file = cstr(k, p, '/private/x', k.stack(p).end - 3000);
    expect(k.syscall(t, SYS.open, file, O.O_RDWR | O.O_CREAT, 0o600)).toBe(-Errno.EACCES);
    expect(k.syscall(p, SYS.open, file, O.O_RDWR | O.O_CREAT, 0o600)).toBeGreaterThanOrEqual(0);
    // setfsuid alone changes who the permission checks see.
    expect(k.syscall(p, SYS.setfsuid, 1000)).toBe(0);
    expect(k.syscall(p, SYS.open, file, O.O_RDONLY, 0)).toBe(-Errno.EACCES);
    expect(k.syscall(p, SYS.geteuid)).toBe(0);
  });
});

describe('/proc/<pid>/status', () => {
  it('shows the real, effective, saved and fs ids', () => {
    const k = createKernel();
    k.registerProgram('/bin/t', {});
    const p = k.spawn('/bin/t');
    expect(k.syscall(p, SYS.setresuid, 1, 2, 3)).toBe(0);
    expect(k.syscall(p, SYS.setresgid, 5, 6, 7)).toBe(-Errno.EPERM); // no CAP_SETGID once the euid is not 0
    const q = k.spawn('/bin/t');
    expect(k.syscall(q, SYS.setresgid, 5, 6, 7)).toBe(0);
    expect(k.syscall(q, SYS.setfsuid, 9)).toBe(0);
    const top = k.stack(q).end;
    const path = cstr(k, q, `/proc/${q}/status`, top - 4096);
    const fd = k.syscall(q, SYS.open, path, O.O_RDONLY, 0);
    const n = k.syscall(q, SYS.read, fd, top - 8192, 2048);
    const b = new Uint8Array(n);
    k.load(q, top - 8192, b);
    const text = new TextDecoder().decode(b);
    expect(text).toContain('Uid:\t0\t0\t0\t9\n');
    expect(text).toContain('Gid:\t5\t6\t7\t6\n');
    // fsuid 9 dropped the file-system capabilities (CAP_FS_SET: bits 0-4, 9, 27, 32) from the effective set.
    expect(text).toContain('\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001fef7fffde0\n');
    expect(text).toContain('\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n');
  });

  it('shows the capability sets a process was spawned with (the host: root without CAP_SYS_RESOURCE)', () => {
    const k = createKernel();
    k.registerProgram('/bin/t', {});
    const host = 0x1fffeffffffn;
    const p = k.spawn('/bin/t', { caps: { permitted: host, effective: host, bounding: host } });
    const top = k.stack(p).end;
    const fd = k.syscall(p, SYS.open, cstr(k, p, '/proc/self/status', top - 4096), O.O_RDONLY, 0);
    const n = k.syscall(p, SYS.read, fd, top - 8192, 2048);
    const b = new Uint8Array(n);
    k.load(p, top - 8192, b);
    expect(new TextDecoder().decode(b)).toContain('\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\n');
    // setrlimit raising a hard limit is EPERM for this root, as on the host.
    const rl = top - 256;
    k.store(p, rl, new Uint8Array(16).fill(0xff));
    expect(k.syscall(p, SYS.setrlimit, 8, rl)).toBe(-Errno.EPERM);
  });
});
