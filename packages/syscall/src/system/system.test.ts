import fc from 'fast-check';
import { Errno, SYS, SYS_RISCV64 } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { VirtualClock } from '@tskern/sched';
import { SIG } from '@tskern/signal';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { provideBlockingServices } from '../blocking/services';
import { world } from '../testing/world';
import { PR } from './prctl';
import { RUSAGE } from './rusage';
import { SCHED } from './scheduler';
import { DEFAULT_RELEASE, provideSystemConfig } from './system-config';

type World = ReturnType<typeof world>;

function bytesAt(w: World, tid: number, addr: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  expect(load(w.tasks.get(tid)!.mm, addr, b, 0, n)).toBe(0);
  return b;
}
const i64 = (b: Uint8Array, at: number) => Number(new DataView(b.buffer).getBigInt64(at, true));
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer).getUint32(at, true);
/** A NUL-ended field of `b` at [at, at + n) as text. */
const field = (b: Uint8Array, at: number, n = 65) => {
  const raw = b.subarray(at, at + n);
  const end = raw.indexOf(0);
  return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
};
function put(w: World, tid: number, addr: number, text: string | Uint8Array): void {
  const b = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  expect(store(w.tasks.get(tid)!.mm, addr, b, 0, b.length)).toBe(0);
}

function setup(uid = 1000) {
  const w = world(uid);
  const clock = new VirtualClock({ monotonicNs: 1_500_000_000 });
  provideBlockingServices(w.tasks, { clock });
  const buf = w.p.stack.end - 8192;
  // Touch the scratch pages first, so that the calls' stores fault nothing in.
  expect(store(w.p.mm, buf, new Uint8Array(8192), 0, 8192)).toBe(0);
  return { ...w, clock, buf };
}

describe('uname, sethostname, setdomainname', () => {
  it('reports Linux, the release, and the machine of the caller\'s architecture', () => {
    const w = setup();
    expect(w.sys(w.p.tid, SYS.uname, w.buf)).toBe(0);
    const u = bytesAt(w, w.p.tid, w.buf, 390);
    expect([field(u, 0), field(u, 65), field(u, 130), field(u, 260), field(u, 325)]).toEqual(['Linux', '(none)', DEFAULT_RELEASE, 'x86_64', '(none)']);
    const rv = w.tasks.spawn('/bin/p', { cred: new Credentials(0, 0), abi: w.rv.abi });
    if (typeof rv === 'number') throw new Error('spawn');
    expect(w.sys(rv.tid, SYS_RISCV64.uname, rv.stack.end - 512)).toBe(0);
    expect(field(bytesAt(w, rv.tid, rv.stack.end - 512, 390), 260)).toBe('riscv64');
    expect(w.sys(w.p.tid, SYS.uname, 0)).toBe(-Errno.EFAULT);
  });

  it('needs CAP_SYS_ADMIN (EPERM) before the length (EINVAL past 64) and the bytes (EFAULT)', () => {
    const user = setup(1000);
    put(user, user.p.tid, user.buf, 'box');
    expect(user.sys(user.p.tid, SYS.sethostname, user.buf, 3)).toBe(-Errno.EPERM);
    expect(user.sys(user.p.tid, SYS.setdomainname, user.buf, 65)).toBe(-Errno.EPERM);
    const root = setup(0);
    put(root, root.p.tid, root.buf, 'box.example');
    expect(root.sys(root.p.tid, SYS.sethostname, root.buf, 65)).toBe(-Errno.EINVAL);
    expect(root.sys(root.p.tid, SYS.sethostname, root.buf, -1)).toBe(-Errno.EINVAL);
    expect(root.sys(root.p.tid, SYS.sethostname, 0, 3)).toBe(-Errno.EFAULT);
    expect(root.sys(root.p.tid, SYS.sethostname, root.buf, 3)).toBe(0);
    expect(root.sys(root.p.tid, SYS.setdomainname, root.buf + 4, 7)).toBe(0);
    expect(root.sys(root.p.tid, SYS.uname, root.buf + 64)).toBe(0);
    const u = bytesAt(root, root.p.tid, root.buf + 64, 390);
    expect([field(u, 65), field(u, 325)]).toEqual(['box', 'example']);
    // Every task of the kernel sees the one UTS namespace.
    const child = root.sys(root.p.tid, SYS.fork);
    expect(root.sys(child, SYS.uname, root.buf + 512)).toBe(0);
    expect(field(bytesAt(root, child, root.buf + 512, 390), 65)).toBe('box');
  });
});

describe('sysinfo', () => {
  it('gives uptime rounded up, RAM from the page allocator in bytes (mem_unit 1) and the number of tasks', () => {
    const w = setup();
    expect(w.sys(w.p.tid, SYS.sysinfo, w.buf)).toBe(0);
    let s = bytesAt(w, w.p.tid, w.buf, 112);
    expect(i64(s, 0)).toBe(2);
    expect(i64(s, 32)).toBe(1024 * 4096);
    expect(i64(s, 40)).toBe(w.frames.stats().freeFrames * 4096);
    expect(new DataView(s.buffer).getUint16(80, true)).toBe(1);
    expect(u32(s, 104)).toBe(1);
    const free = i64(s, 40);
    w.sys(w.p.tid, SYS.fork);
    put(w, w.p.tid, w.p.stack.end - 16 * 4096, new Uint8Array(4096).fill(1)); // touch a fresh stack page
    expect(w.sys(w.p.tid, SYS.sysinfo, w.buf)).toBe(0);
    s = bytesAt(w, w.p.tid, w.buf, 112);
    expect(new DataView(s.buffer).getUint16(80, true)).toBe(2);
    expect(i64(s, 40)).toBeLessThan(free);
    expect(w.sys(w.p.tid, SYS.sysinfo, 8)).toBe(-Errno.EFAULT);
  });
});

describe('getrusage, times, and the rusage of wait4 and waitid', () => {
  it('refuses an unknown who; reports fed CPU time, the resident high-water mark in KiB and faults', () => {
    const w = setup();
    expect(w.sys(w.p.tid, SYS.getrusage, 2, w.buf)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.getrusage, -2, w.buf)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_SELF, 0)).toBe(-Errno.EFAULT);
    w.p.cpuTime.userNs = 1_250_000_000;
    w.p.cpuTime.systemNs = 3_000;
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_SELF, w.buf)).toBe(0);
    const r = bytesAt(w, w.p.tid, w.buf, 144);
    expect([i64(r, 0), i64(r, 8), i64(r, 16), i64(r, 24)]).toEqual([1, 250_000, 0, 3]);
    const pages = w.p.mm.pt.resident;
    expect(i64(r, 32)).toBe(pages * 4);
    expect(i64(r, 64)).toBe(w.p.mm.minorFaults);
    expect(i64(r, 64)).toBeGreaterThan(0);
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_THREAD, w.buf)).toBe(0);
    expect(i64(bytesAt(w, w.p.tid, w.buf, 144), 0)).toBe(1);
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_CHILDREN, w.buf)).toBe(0);
    expect(bytesAt(w, w.p.tid, w.buf, 144).every((b) => b === 0)).toBe(true);
  });

  it('gives a reaped child\'s usage to wait4 and to RUSAGE_CHILDREN and times\' cutime', () => {
    const w = setup();
    const child = w.sys(w.p.tid, SYS.fork);
    const c = w.tasks.get(child)!;
    c.cpuTime.userNs = 2_000_000_000;
    c.cpuTime.systemNs = 500_000_000;
    put(w, child, c.stack.end - 8 * 4096, new Uint8Array(4 * 4096).fill(7));
    const peakKiB = (c.mm.pt.resident * 4096) / 1024;
    w.sys(child, SYS.exit_group, 3);
    expect(w.sys(w.p.tid, SYS.wait4, child, w.buf, 0, w.buf + 16)).toBe(child);
    const r = bytesAt(w, w.p.tid, w.buf + 16, 144);
    expect([i64(r, 0), i64(r, 16), i64(r, 32)]).toEqual([2, 0, peakKiB]);
    expect(i64(r, 64)).toBeGreaterThanOrEqual(4);
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_CHILDREN, w.buf + 256)).toBe(0);
    expect(bytesAt(w, w.p.tid, w.buf + 256, 144)).toEqual(r);
    w.p.cpuTime.userNs = 130_000_000;
    const ticks = w.sys(w.p.tid, SYS.times, w.buf + 512);
    const t = bytesAt(w, w.p.tid, w.buf + 512, 32);
    expect([i64(t, 0), i64(t, 8), i64(t, 16), i64(t, 24)]).toEqual([13, 0, 200, 50]);
    // Jiffies from INITIAL_JIFFIES (2^32 - 300 s of 250 Hz ticks) plus 1.5 s, in USER_HZ.
    expect(ticks).toBe(Math.floor(((2 ** 32 - 75_000 + 375) * 4) / 10));
    expect(w.sys(w.p.tid, SYS.times, 0)).toBe(ticks);
    expect(w.sys(w.p.tid, SYS.times, 8)).toBe(-Errno.EFAULT);
  });

  it('waitid reports the child\'s usage too', () => {
    const w = setup();
    const child = w.sys(w.p.tid, SYS.fork);
    w.tasks.get(child)!.cpuTime.userNs = 7_000_000;
    w.sys(child, SYS.exit_group, 0);
    expect(w.sys(w.p.tid, SYS.waitid, 1, child, w.buf, 4, w.buf + 256)).toBe(0); // P_PID, WEXITED
    expect(i64(bytesAt(w, w.p.tid, w.buf + 256, 144), 8)).toBe(7000);
  });

  it('keeps an exited thread\'s time in RUSAGE_SELF', () => {
    const w = setup();
    const thread = w.sys(w.p.tid, SYS.clone, 0x10f00, 0, 0, 0, 0); // CLONE_VM|FS|FILES|SIGHAND|THREAD
    expect(thread).toBeGreaterThan(0);
    w.tasks.get(thread)!.cpuTime.userNs = 4_000_000_000;
    w.sys(thread, SYS.exit, 0);
    expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_SELF, w.buf)).toBe(0);
    expect(i64(bytesAt(w, w.p.tid, w.buf, 144), 0)).toBe(4);
  });
});

describe('affinity, getcpu and the scheduler queries', () => {
  it('sched_getaffinity checks the size as kernel/sched/core.c and returns the bytes written', () => {
    const w = setup();
    provideSystemConfig(w.tasks, { cpus: 2 });
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 0, w.buf)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 4, w.buf)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 12, w.buf)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 128, w.buf)).toBe(8);
    expect(i64(bytesAt(w, w.p.tid, w.buf, 8), 0)).toBe(3);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 9999, 8, w.buf)).toBe(-Errno.ESRCH);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 8, 8)).toBe(-Errno.EFAULT);
  });

  it('sched_setaffinity narrows the mask (EINVAL with no existing CPU, EPERM for another user\'s task); getcpu follows it', () => {
    const w = setup();
    provideSystemConfig(w.tasks, { cpus: 2 });
    put(w, w.p.tid, w.buf, new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0]));
    expect(w.sys(w.p.tid, SYS.sched_setaffinity, 0, 8, w.buf)).toBe(-Errno.EINVAL);
    put(w, w.p.tid, w.buf, new Uint8Array([2]));
    expect(w.sys(w.p.tid, SYS.sched_setaffinity, 0, 1, w.buf)).toBe(0);
    expect(w.sys(w.p.tid, SYS.sched_getaffinity, 0, 8, w.buf + 8)).toBe(8);
    expect(i64(bytesAt(w, w.p.tid, w.buf + 8, 8), 0)).toBe(2);
    expect(w.sys(w.p.tid, SYS.getcpu, w.buf + 16, w.buf + 20, 0)).toBe(0);
    expect([u32(bytesAt(w, w.p.tid, w.buf + 16, 8), 0), u32(bytesAt(w, w.p.tid, w.buf + 16, 8), 4)]).toEqual([1, 0]);
    expect(w.sys(w.p.tid, SYS.getcpu, 0, 0, 0)).toBe(0);
    expect(w.sys(w.p.tid, SYS.getcpu, 8, 0, 0)).toBe(-Errno.EFAULT);
    const child = w.sys(w.p.tid, SYS.fork);
    expect(w.tasks.get(child)!.cpuMask).toBe(2n);
    const other = w.tasks.spawn('/bin/p', { cred: new Credentials(2000, 2000), abi: w.x86.abi });
    if (typeof other === 'number') throw new Error('spawn');
    expect(w.sys(w.p.tid, SYS.sched_setaffinity, other.tid, 8, w.buf)).toBe(-Errno.EPERM);
    expect(w.sys(w.p.tid, SYS.sched_setaffinity, 9999, 8, w.buf)).toBe(-Errno.ESRCH);
    expect(w.sys(w.p.tid, SYS.sched_setaffinity, 0, 8, 8)).toBe(-Errno.EFAULT);
  });

  it('every task is SCHED_OTHER at priority 0; the priority range is per policy', () => {
    const w = setup();
    expect(w.sys(w.p.tid, SYS.sched_getscheduler, 0)).toBe(SCHED.SCHED_OTHER);
    expect(w.sys(w.p.tid, SYS.sched_getscheduler, -1)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.sched_getscheduler, 9999)).toBe(-Errno.ESRCH);
    put(w, w.p.tid, w.buf, new Uint8Array([9, 9, 9, 9]));
    expect(w.sys(w.p.tid, SYS.sched_getparam, 0, w.buf)).toBe(0);
    expect(u32(bytesAt(w, w.p.tid, w.buf, 4), 0)).toBe(0);
    expect(w.sys(w.p.tid, SYS.sched_getparam, 0, 0)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.sched_getparam, 9999, w.buf)).toBe(-Errno.ESRCH);
    const range = (p: number) => [w.sys(w.p.tid, SYS.sched_get_priority_min, p), w.sys(w.p.tid, SYS.sched_get_priority_max, p)];
    expect([SCHED.SCHED_OTHER, SCHED.SCHED_FIFO, SCHED.SCHED_RR, SCHED.SCHED_BATCH, SCHED.SCHED_IDLE, SCHED.SCHED_DEADLINE, 4].map(range)).toEqual([
      [0, 0], [1, 99], [1, 99], [0, 0], [0, 0], [0, 0], [-Errno.EINVAL, -Errno.EINVAL],
    ]);
  });
});

describe('prctl', () => {
  it('sets the command name (15 bytes), PR_GET_NAME writes 16; fork keeps it, execve takes the program\'s', () => {
    const w = setup();
    expect(w.p.comm).toBe('p');
    put(w, w.p.tid, w.buf, 'a-very-long-thread-name\0');
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_NAME, w.buf)).toBe(0);
    expect(w.p.comm).toBe('a-very-long-thr');
    put(w, w.p.tid, w.buf + 64, new Uint8Array(16).fill(0xff));
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_NAME, w.buf + 64)).toBe(0);
    const got = bytesAt(w, w.p.tid, w.buf + 64, 16);
    expect(field(got, 0, 16)).toBe('a-very-long-thr');
    expect(got[15]).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_NAME, 8)).toBe(-Errno.EFAULT);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_NAME, 8)).toBe(-Errno.EFAULT);
    const child = w.sys(w.p.tid, SYS.fork);
    expect(w.tasks.get(child)!.comm).toBe('a-very-long-thr');
  });

  it('execve keeps argv for cmdline and names the task after the program', () => {
    const w = setup();
    w.tasks.registerProgram('/usr/bin/longer-program-name', { stackSize: 16 * 4096 });
    put(w, w.p.tid, w.buf, '/usr/bin/longer-program-name\0');
    put(w, w.p.tid, w.buf + 64, 'prog\0-x\0');
    const argv = new Uint8Array(24);
    new DataView(argv.buffer).setBigUint64(0, BigInt(w.buf + 64), true);
    new DataView(argv.buffer).setBigUint64(8, BigInt(w.buf + 69), true);
    put(w, w.p.tid, w.buf + 128, argv);
    expect(w.sys(w.p.tid, SYS.execve, w.buf + 500_000_000, w.buf + 128, 0)).toBe(-Errno.EFAULT);
    expect(w.sys(w.p.tid, SYS.execve, w.buf, 8, 0)).toBe(-Errno.EFAULT);
    expect(w.sys(w.p.tid, SYS.execve, w.buf, w.buf + 128, 0)).toBe(0);
    expect(w.p.group.argv).toEqual(['prog', '-x']);
    expect(w.p.comm).toBe('longer-program-');
  });

  it('stores the parent-death signal (valid_signal), dumpable (0 or 1), subreaper and no_new_privs; unknown options are EINVAL', () => {
    const w = setup();
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_PDEATHSIG, 65)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_PDEATHSIG, SIG.SIGTERM)).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_PDEATHSIG, w.buf)).toBe(0);
    expect(u32(bytesAt(w, w.p.tid, w.buf, 4), 0)).toBe(SIG.SIGTERM);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_PDEATHSIG, 8)).toBe(-Errno.EFAULT);
    const child = w.sys(w.p.tid, SYS.fork);
    expect(w.tasks.get(child)!.pdeathSignal).toBe(0);

    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_DUMPABLE)).toBe(1);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_DUMPABLE, 2)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_DUMPABLE, 0)).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_DUMPABLE)).toBe(0);

    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_CHILD_SUBREAPER, 5)).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_CHILD_SUBREAPER, w.buf)).toBe(0);
    expect(u32(bytesAt(w, w.p.tid, w.buf, 4), 0)).toBe(1);

    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_NO_NEW_PRIVS)).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_NO_NEW_PRIVS, 0)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_NO_NEW_PRIVS, 1, 1)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_SET_NO_NEW_PRIVS, 1)).toBe(0);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_NO_NEW_PRIVS, 1)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, PR.PR_GET_NO_NEW_PRIVS)).toBe(1);
    expect(w.tasks.get(w.sys(w.p.tid, SYS.fork))!.noNewPrivs).toBe(true);

    expect(w.sys(w.p.tid, SYS.prctl, 0)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.prctl, 1000)).toBe(-Errno.EINVAL);
  });
});

describe('the tables', () => {
  it('number the calls on both architectures; asm-generic has no time(2)', () => {
    const w = setup();
    const names = ['uname', 'sethostname', 'setdomainname', 'sysinfo', 'getrusage', 'times', 'sched_getaffinity', 'sched_setaffinity', 'getcpu', 'prctl'];
    for (const name of names) {
      expect(w.x86.table.get(SYS[name as keyof typeof SYS])?.def.name).toBe(name);
      expect(w.rv.table.get(SYS_RISCV64[name as keyof typeof SYS_RISCV64])?.def.name).toBe(name);
    }
    expect(Object.keys(SYS_RISCV64)).not.toContain('time');
    expect(Object.keys(SYS_RISCV64)).not.toContain('vfork');
  });
});

describe('usage totals (property)', () => {
  it('RUSAGE_CHILDREN and times\' cutime are the sums of the reaped children\'s times, whatever order they exit in', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ user: fc.nat(5e9), sys: fc.nat(5e9) }), { minLength: 1, maxLength: 5 }), (children) => {
        const w = setup();
        const pids = children.map(() => w.sys(w.p.tid, SYS.fork));
        pids.forEach((pid, i) => {
          const t = w.tasks.get(pid)!;
          t.cpuTime.userNs = children[i]!.user;
          t.cpuTime.systemNs = children[i]!.sys;
        });
        for (const pid of [...pids].reverse()) {
          w.sys(pid, SYS.exit_group, 0);
          expect(w.sys(w.p.tid, SYS.wait4, pid, 0, 0, 0)).toBe(pid);
        }
        const user = children.reduce((n, c) => n + c.user, 0);
        const sys = children.reduce((n, c) => n + c.sys, 0);
        expect(w.sys(w.p.tid, SYS.getrusage, RUSAGE.RUSAGE_CHILDREN, w.buf)).toBe(0);
        const r = bytesAt(w, w.p.tid, w.buf, 32);
        expect(i64(r, 0) * 1e6 + i64(r, 8)).toBe(Math.floor(user / 1000));
        expect(i64(r, 16) * 1e6 + i64(r, 24)).toBe(Math.floor(sys / 1000));
        w.sys(w.p.tid, SYS.times, w.buf + 64);
        const t = bytesAt(w, w.p.tid, w.buf + 64, 32);
        expect([i64(t, 16), i64(t, 24)]).toEqual([Math.floor(user / 1e7), Math.floor(sys / 1e7)]);
      }),
      { numRuns: 20 },
    );
  });
});
