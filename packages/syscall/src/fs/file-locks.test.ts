import { Errno, F_LOCK, FLOCK_STRUCT, LOCK, LOCK_TYPE, O, SEEK, SYS } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { x86_64Personality } from '../arch/x86-64';
import type { RawArg } from '../args';
import { isBlock, type Block, type SyscallReturn } from '../block';
import { invoke } from '../syscall-table';
import { sys, world } from './testing/world';

const E = Errno;
const { F_RDLCK: RD, F_WRLCK: WR, F_UNLCK: UN } = LOCK_TYPE;
const x86 = x86_64Personality();

/** A syscall that may block. */
function call(task: Task, nr: number, ...args: RawArg[]): SyscallReturn {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0] = args;
  return invoke(x86.table.get(nr)!, task, a0, a1, a2, a3, a4, a5);
}

function blocked(r: SyscallReturn): Block {
  if (!isBlock(r)) throw new Error(`expected a Block, got ${r}`);
  return r;
}

/** Two processes over one file system, sharing the fake memory (each its own fd table). */
function twoProcesses() {
  const w = world();
  const p2 = w.tasks.spawn('/bin/test', { cred: new Credentials(1000, 1000), abi: x86.abi, cwd: '/tmp', memory: w.mem });
  if (typeof p2 === 'number') throw new Error(`spawn ${p2}`);
  const p1 = w.ctx;
  const flock = (type: number, whence: number, start: number, len: number, pid = 0): number => {
    const addr = w.alloc(FLOCK_STRUCT.size);
    const v = new DataView(new ArrayBuffer(FLOCK_STRUCT.size));
    v.setInt16(FLOCK_STRUCT.l_type, type, true);
    v.setInt16(FLOCK_STRUCT.l_whence, whence, true);
    v.setBigInt64(FLOCK_STRUCT.l_start, BigInt(start), true);
    v.setBigInt64(FLOCK_STRUCT.l_len, BigInt(len), true);
    v.setInt32(FLOCK_STRUCT.l_pid, pid, true);
    w.scratch.set(new Uint8Array(v.buffer), addr - 0x10000);
    return addr;
  };
  const read = (addr: number) => {
    const v = new DataView(w.bytes(addr, FLOCK_STRUCT.size).buffer);
    return {
      type: v.getInt16(FLOCK_STRUCT.l_type, true),
      whence: v.getInt16(FLOCK_STRUCT.l_whence, true),
      start: Number(v.getBigInt64(FLOCK_STRUCT.l_start, true)),
      len: Number(v.getBigInt64(FLOCK_STRUCT.l_len, true)),
      pid: v.getInt32(FLOCK_STRUCT.l_pid, true),
    };
  };
  return { w, p1, p2, flock, read };
}

describe('fcntl record locks', () => {
  it('F_GETLK reports the conflicting lock; F_SETLK is EAGAIN; F_SETLKW waits until a close of any fd releases it', () => {
    const { w, p1, p2, flock, read } = twoProcesses();
    const path = w.str('db');
    const a = sys(p1, SYS.open, path, O.O_CREAT | O.O_RDWR, 0o666);
    const a2 = sys(p1, SYS.open, path, O.O_RDONLY);
    const b = sys(p2, SYS.open, path, O.O_RDWR);
    expect(sys(p1, SYS.fcntl, a, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_SET, 0, 10))).toBe(0);
    const q = flock(RD, SEEK.SEEK_SET, 5, 0);
    expect(sys(p2, SYS.fcntl, b, F_LOCK.F_GETLK, q)).toBe(0);
    expect(read(q)).toEqual({ type: WR, whence: SEEK.SEEK_SET, start: 0, len: 10, pid: p1.pid });
    expect(sys(p2, SYS.fcntl, b, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 9, 1))).toBe(-E.EAGAIN);
    const wait = blocked(call(p2, SYS.fcntl, b, F_LOCK.F_SETLKW, flock(RD, SEEK.SEEK_SET, 9, 1)));
    expect(isBlock(wait.retry())).toBe(true);
    // The POSIX rule: closing another descriptor of the same file drops the process's locks.
    expect(sys(p1, SYS.close, a2)).toBe(0);
    expect(wait.retry()).toBe(0);
    const q2 = flock(WR, SEEK.SEEK_SET, 0, 0);
    expect(sys(p1, SYS.fcntl, a, F_LOCK.F_GETLK, q2)).toBe(0);
    expect(read(q2)).toMatchObject({ type: RD, start: 9, len: 1, pid: p2.pid });
  });

  it('checks the struct as fcntl_getlk/fcntl_setlk do', () => {
    const { w, p1, flock } = twoProcesses();
    const ro = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDONLY, 0o666);
    const wo = sys(p1, SYS.open, w.str('f'), O.O_WRONLY);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_SET, 0, 1))).toBe(-E.EBADF);
    expect(sys(p1, SYS.fcntl, wo, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1))).toBe(-E.EBADF);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, flock(7, SEEK.SEEK_SET, 0, 1))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, flock(RD, 9, 0, 1))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, -1, 1))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, -1))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_GETLK, flock(UN, SEEK.SEEK_SET, 0, 1))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_OFD_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1, 5))).toBe(-E.EINVAL);
    expect(sys(p1, SYS.fcntl, ro, F_LOCK.F_SETLK, 0)).toBe(-E.EFAULT);
    expect(sys(p1, SYS.fcntl, 99, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1))).toBe(-E.EBADF);
  });

  it('resolves SEEK_CUR and SEEK_END, and a negative length ends before the start', () => {
    const { w, p1, p2, flock, read } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    sys(p1, SYS.write, a, w.str('0123456789'), 10);
    expect(sys(p1, SYS.fcntl, a, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_CUR, -4, 2))).toBe(0); // [6, 7]
    expect(sys(p1, SYS.fcntl, a, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_END, 5, -3))).toBe(0); // [12, 14]
    const b = sys(p2, SYS.open, w.str('f'), O.O_RDWR);
    const q = flock(WR, SEEK.SEEK_SET, 0, 0);
    sys(p2, SYS.fcntl, b, F_LOCK.F_GETLK, q);
    expect(read(q)).toMatchObject({ start: 6, len: 2 });
    const q2 = flock(WR, SEEK.SEEK_SET, 8, 0);
    sys(p2, SYS.fcntl, b, F_LOCK.F_GETLK, q2);
    expect(read(q2)).toMatchObject({ start: 12, len: 3 });
  });

  it('OFD locks conflict with the same process\'s POSIX locks, report pid -1, and go with the last close', () => {
    const { w, p1, flock, read } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    const c = sys(p1, SYS.open, w.str('f'), O.O_RDWR);
    expect(sys(p1, SYS.fcntl, a, F_LOCK.F_OFD_SETLK, flock(WR, SEEK.SEEK_SET, 0, 1))).toBe(0);
    expect(sys(p1, SYS.fcntl, c, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1))).toBe(-E.EAGAIN);
    const q = flock(RD, SEEK.SEEK_SET, 0, 1);
    expect(sys(p1, SYS.fcntl, c, F_LOCK.F_GETLK, q)).toBe(0);
    expect(read(q).pid).toBe(-1);
    const dup = sys(p1, SYS.dup, a);
    expect(sys(p1, SYS.close, a)).toBe(0);
    expect(sys(p1, SYS.fcntl, c, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1))).toBe(-E.EAGAIN);
    expect(sys(p1, SYS.close, dup)).toBe(0);
    expect(sys(p1, SYS.fcntl, c, F_LOCK.F_SETLK, flock(RD, SEEK.SEEK_SET, 0, 1))).toBe(0);
  });

  it('F_SETLKW answers EDEADLK for two processes waiting on each other; exit releases locks', () => {
    const { w, p1, p2, flock } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    const b = sys(p2, SYS.open, w.str('f'), O.O_RDWR);
    sys(p1, SYS.fcntl, a, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_SET, 0, 1));
    sys(p2, SYS.fcntl, b, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_SET, 1, 1));
    const wait = blocked(call(p1, SYS.fcntl, a, F_LOCK.F_SETLKW, flock(WR, SEEK.SEEK_SET, 1, 1)));
    expect(call(p2, SYS.fcntl, b, F_LOCK.F_SETLKW, flock(WR, SEEK.SEEK_SET, 0, 1))).toBe(-E.EDEADLK);
    w.tasks.exit(p2, 0);
    expect(wait.retry()).toBe(0);
  });

  it('a cancelled wait (a signal) leaves no request behind', () => {
    const { w, p1, p2, flock } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    const b = sys(p2, SYS.open, w.str('f'), O.O_RDWR);
    sys(p1, SYS.fcntl, a, F_LOCK.F_SETLK, flock(WR, SEEK.SEEK_SET, 0, 1));
    blocked(call(p2, SYS.fcntl, b, F_LOCK.F_SETLKW, flock(WR, SEEK.SEEK_SET, 0, 1))).cancel();
    sys(p1, SYS.close, a);
    const q = flock(WR, SEEK.SEEK_SET, 0, 0);
    expect(sys(p1, SYS.fcntl, sys(p1, SYS.open, w.str('f'), O.O_RDWR), F_LOCK.F_SETLK, q)).toBe(0);
  });
});

describe('flock', () => {
  it('excludes between descriptions, EWOULDBLOCK with LOCK_NB, waits otherwise, releases on the last close', () => {
    const { w, p1, p2 } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    const b = sys(p2, SYS.open, w.str('f'), O.O_RDONLY);
    expect(sys(p1, SYS.flock, a, LOCK.LOCK_EX)).toBe(0);
    expect(sys(p2, SYS.flock, b, LOCK.LOCK_SH | LOCK.LOCK_NB)).toBe(-E.EAGAIN);
    const wait = blocked(call(p2, SYS.flock, b, LOCK.LOCK_SH));
    const dup = sys(p1, SYS.dup, a);
    expect(sys(p1, SYS.close, a)).toBe(0);
    expect(isBlock(wait.retry())).toBe(true); // the description is still open through the dup
    expect(sys(p1, SYS.close, dup)).toBe(0);
    expect(wait.retry()).toBe(0);
    expect(sys(p2, SYS.flock, b, 0)).toBe(-E.EINVAL);
    expect(sys(p2, SYS.flock, b, LOCK.LOCK_SH | 32)).toBe(0); // LOCK_MAND is ignored
    expect(sys(p2, SYS.flock, 99, LOCK.LOCK_SH)).toBe(-E.EBADF);
  });
});

describe('a waiting lock holds its file', () => {
  it('the description outlives its last descriptor until the wait is answered', () => {
    const { w, p1, p2 } = twoProcesses();
    const a = sys(p1, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    const b = sys(p2, SYS.open, w.str('f'), O.O_RDWR);
    expect(sys(p1, SYS.flock, a, LOCK.LOCK_EX)).toBe(0);
    const wait = blocked(call(p2, SYS.flock, b, LOCK.LOCK_EX));
    expect(sys(p2, SYS.close, b)).toBe(0);
    expect(sys(p1, SYS.close, a)).toBe(0);
    // Granted to the still-held description; answering drops the last reference, and the lock with it.
    expect(wait.retry()).toBe(0);
    const c = sys(p1, SYS.open, w.str('f'), O.O_RDWR);
    expect(sys(p1, SYS.flock, c, LOCK.LOCK_EX | LOCK.LOCK_NB)).toBe(0);
  });
});
