import { Errno, O, SYS } from '@tskern/abi';
import { SeededRandomSource } from '@tskern/devices';
import { VirtualClock } from '@tskern/sched';
import { describe, expect, it } from 'vitest';
import { isBlock } from '../block';
import { invoke } from '../syscall-table';
import { x86_64Personality } from '../arch/x86-64';
import { READONLY, sys, world } from '../fs/testing/world';
import { provideBlockingServices } from './services';
import { childInfo, CLD, exitedStatus, signaledStatus } from './wait-status';

const x86 = x86_64Personality();

function setup() {
  const w = world({ fdLimit: 8 });
  const clock = new VirtualClock({ monotonicNs: 1000 });
  provideBlockingServices(w.tasks, { clock, random: new SeededRandomSource(1) });
  const i32 = (addr: number): number => new DataView(w.bytes(addr, 4).buffer).getInt32(0, true);
  return { ...w, clock, i32 };
}

/** Call and return the raw answer (a number or a Block). */
function call(task: Parameters<typeof sys>[0], nr: number, ...args: number[]) {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0] = args;
  return invoke(x86.table.get(nr)!, task, a0, a1, a2, a3, a4, a5);
}

describe('pipe2', () => {
  it('installs the read end then the write end, FD_CLOEXEC with O_CLOEXEC; refuses unknown flags', () => {
    const { ctx, alloc, i32 } = setup();
    const fds = alloc(8);
    expect(sys(ctx, SYS.pipe2, fds, O.O_CLOEXEC | O.O_NONBLOCK)).toBe(0);
    const [r, w] = [i32(fds), i32(fds + 4)];
    expect(w).toBe(r + 1);
    expect(sys(ctx, SYS.fcntl, r, 1)).toBe(1); // F_GETFD: FD_CLOEXEC
    expect(sys(ctx, SYS.fcntl, w, 3) & O.O_ACCMODE).toBe(O.O_WRONLY); // F_GETFL
    expect(sys(ctx, SYS.pipe2, fds, O.O_APPEND)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.pipe, fds)).toBe(0);
  });

  it('a fault storing the pair closes both descriptors (EFAULT); a full table is EMFILE', () => {
    const { ctx, alloc, i32 } = setup();
    expect(sys(ctx, SYS.pipe, READONLY)).toBe(-Errno.EFAULT);
    expect(sys(ctx, SYS.fcntl, 0, 1)).toBe(-Errno.EBADF); // the failed call left nothing open
    const fds = alloc(8);
    expect(sys(ctx, SYS.pipe, fds)).toBe(0);
    expect(i32(fds)).toBe(0);
    expect(sys(ctx, SYS.pipe, fds)).toBe(0);
    expect(sys(ctx, SYS.pipe, fds)).toBe(0);
    expect(sys(ctx, SYS.pipe, fds)).toBe(0); // 8 descriptors in use
    expect(sys(ctx, SYS.pipe, fds)).toBe(-Errno.EMFILE);
    expect(sys(ctx, SYS.close, 7)).toBe(0);
    expect(sys(ctx, SYS.pipe, fds)).toBe(-Errno.EMFILE); // one free is not two
  });

  it('a blocking read answers a Block on the readers queue, whose retry returns the data once written', () => {
    const { ctx, alloc, i32, str, text } = setup();
    const fds = alloc(8);
    sys(ctx, SYS.pipe, fds);
    const [r, w] = [i32(fds), i32(fds + 4)];
    const buf = alloc(16);
    const b = call(ctx, SYS.read, r, buf, 16);
    if (!isBlock(b)) throw new Error('expected a block');
    expect(b.on?.length).toBe(1);
    expect(b.restart).toBe('sys');
    expect(isBlock(b.retry())).toBe(true); // still empty: sleeps again
    const msg = str('abc');
    expect(sys(ctx, SYS.write, w, msg, 3)).toBe(3);
    expect(b.retry()).toBe(3);
    expect(text(buf, 3)).toBe('abc');
    expect(sys(ctx, SYS.pwrite64, w, msg, 1, 0)).toBe(-Errno.ESPIPE);
    expect(sys(ctx, SYS.fcntl, r, 1031, 4096)).toBe(4096); // F_SETPIPE_SZ
    expect(sys(ctx, SYS.fcntl, 99, 1032)).toBe(-Errno.EBADF);
  });
});

describe('waitid and wait status words', () => {
  it('encodes exits and signal deaths as the W* macros read them', () => {
    expect(exitedStatus(3)).toBe(0x300);
    expect(signaledStatus(9)).toBe(9);
    expect(signaledStatus(11, true)).toBe(0x8b);
    expect(childInfo(0x300)).toEqual({ code: CLD.CLD_EXITED, status: 3 });
    expect(childInfo(9)).toEqual({ code: CLD.CLD_KILLED, status: 9 });
    expect(childInfo(0x8b)).toEqual({ code: CLD.CLD_DUMPED, status: 11 });
  });

  it('checks idtype and options; reports a child that exited; without children ECHILD', () => {
    const { ctx, tasks, alloc, i32 } = setup();
    const info = alloc(128);
    expect(sys(ctx, SYS.waitid, 0, 0, info, 4)).toBe(-Errno.ECHILD);
    expect(sys(ctx, SYS.waitid, 9, 0, info, 4)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.waitid, 1, 0, info, 4)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.waitid, 3, 0, info, 4)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.waitid, 0, 0, info, 0x10000)).toBe(-Errno.EINVAL);
    const child = tasks.fork(ctx);
    const b = call(ctx, SYS.waitid, 0, 0, info, 4);
    if (!isBlock(b)) throw new Error('expected a block');
    tasks.exitGroup(child, 5);
    expect(b.retry()).toBe(0);
    expect([i32(info), i32(info + 8), i32(info + 16), i32(info + 24)]).toEqual([17, CLD.CLD_EXITED, child.tid, 5]);
    expect(sys(ctx, SYS.waitid, 0, 0, info, 4)).toBe(-Errno.ECHILD); // reaped
  });
});

describe('time', () => {
  it('sleeps until the deadline on the kernel clock; the Block says so', () => {
    const { ctx, clock, alloc } = setup();
    const req = alloc(16);
    const b = call(ctx, SYS.nanosleep, req, 0);
    if (!isBlock(b)) throw new Error('expected a block');
    expect(b.deadline).toBe(1000);
    expect(b.retry()).toBe(0);
    clock.advance(10);
    expect(sys(ctx, SYS.clock_gettime, 7, req)).toBe(0);
  });

  it('getrandom fills from the kernel source, partly when a fault ends the buffer', () => {
    const { ctx, alloc } = setup();
    const at = alloc(16);
    expect(sys(ctx, SYS.getrandom, at, 16, 1)).toBe(16);
    expect(sys(ctx, SYS.getrandom, READONLY, 16, 0)).toBe(-Errno.EFAULT);
  });
});
