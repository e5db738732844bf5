import { readFileSync } from 'node:fs';
import { Errno, SYS_RISCV64 as SYS } from '@tskern/abi';
import { encodeB, encodeI, encodeR, encodeS, encodeU } from '@tskern/rv64';
import { describe, expect, it } from 'vitest';
import { ProgramDriver } from './program-driver';
import { ECALL, ProgramWorld, REG, TINY_ENTRY, addi, tinyProgram } from './testing/program-world';

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const elfFixtures = '../../elf/fixtures/';

describe('the program driver runs real riscv64 binaries', () => {
  it.each(['tiny-static', 'tiny-static-pie'])('%s writes hello and exits 42', (name) => {
    const w = new ProgramWorld();
    w.put('/bin/tiny', fixture(elfFixtures + name));
    expect(w.run({ path: '/bin/tiny' })).toEqual({ kind: 'exited', status: 42, signal: 0 });
    expect(w.output()).toBe('hello\n');
  });

  it('a PIE runs through its PT_INTERP loader, read from the VFS and mapped from its page cache', () => {
    // tiny-pie names /lib/ld-linux-riscv64-lp64d.so.1; a static PIE stands in for the loader and runs itself.
    const w = new ProgramWorld();
    w.put('/bin/pie', fixture(elfFixtures + 'tiny-pie'));
    expect(w.run({ path: '/bin/pie' })).toBe(-Errno.ENOENT);
    w.put('/lib/ld-linux-riscv64-lp64d.so.1', fixture(elfFixtures + 'tiny-static-pie'));
    const pid = w.start({ path: '/bin/pie' });
    expect(pid).toBeGreaterThan(0);
    const maps = w.kernel.tasks.get(pid)!.mm.vmas;
    const files = [...maps].map((s) => s.value.backing).filter((b) => b !== null);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(w.kernel.tasks.get(pid)!.group.exePath).toBe('/bin/pie');
  });

  it('the rv64 end-to-end program (64-bit arithmetic, atomics, floats, compressed code) exits 7', () => {
    const w = new ProgramWorld();
    w.put('/bin/program', fixture('../../rv64/test/fixtures/program'));
    expect(w.run({ path: '/bin/program' })).toEqual({ kind: 'exited', status: 7, signal: 0 });
    expect(w.output()).toMatch(/^mix=[0-9a-f]{16}\nmisaligned=[0-9a-f]{16}\natomics=[0-9a-f]{16}\nfloats=[0-9a-f]{16}\n$/);
  });
});

describe('traps are signals', () => {
  it('a store to address 0 kills with SIGSEGV (128 + 11)', () => {
    const w = new ProgramWorld();
    w.put('/bin/segv', tinyProgram([encodeS(0x23, 3, REG.zero, REG.zero, 0), addi(REG.a7, 0, SYS.exit), ECALL]));
    expect(w.run({ path: '/bin/segv' })).toEqual({ kind: 'exited', status: 139, signal: 11 });
  });

  it('ebreak is SIGTRAP and an illegal instruction SIGILL', () => {
    const w = new ProgramWorld();
    w.put('/bin/trap', tinyProgram([0x00100073]));
    w.put('/bin/ill', tinyProgram([0xffffffff]));
    expect(w.run({ path: '/bin/trap' })).toEqual({ kind: 'exited', status: 128 + 5, signal: 5 });
    expect(w.run({ path: '/bin/ill' })).toEqual({ kind: 'exited', status: 128 + 4, signal: 4 });
  });

  it('a signal that writes a core says so (WCOREDUMP): RLIMIT_CORE raised, then ebreak', () => {
    // prlimit64(0, RLIMIT_CORE, {RLIM_INFINITY, RLIM_INFINITY}, NULL); ebreak.
    // The default RLIMIT_CORE is 0, which writes no core (the test above).
    const w = new ProgramWorld();
    w.put('/bin/dump', tinyProgram([
      addi(REG.sp, REG.sp, -16),
      addi(REG.a4, 0, -1),
      encodeS(0x23, 3, REG.sp, REG.a4, 0),
      encodeS(0x23, 3, REG.sp, REG.a4, 8),
      addi(REG.a0, 0, 0), addi(REG.a1, 0, 4), addi(REG.a2, REG.sp, 0), addi(REG.a3, 0, 0),
      addi(REG.a7, 0, SYS.prlimit64), ECALL,
      0x00100073,
    ]));
    expect(w.run({ path: '/bin/dump' })).toEqual({ kind: 'exited', status: 128 + 5, signal: 5, coreDumped: true });
  });
});

describe('signals at the return from a call', () => {
  it('a handler entered as a call returns gets the signal number in a0, not the call\'s result', () => {
    // rt_sigaction(SIGUSR1, {handler}), kill(getpid(), SIGUSR1): the runtime
    // writes kill's 0 into a0 and then builds the frame (a0 = 10); the
    // handler exits with a0. exit(99) if the handler never ran.
    const code = [
      addi(REG.sp, REG.sp, -32),
      encodeU(0x17, REG.a0, 0), // auipc a0, 0: this instruction's address
      addi(REG.a0, REG.a0, 4 * 19), // the handler, 19 instructions on
      encodeS(0x23, 3, REG.sp, REG.a0, 0),
      encodeS(0x23, 3, REG.sp, REG.zero, 8),
      encodeS(0x23, 3, REG.sp, REG.zero, 16),
      addi(REG.a0, 0, 10), addi(REG.a1, REG.sp, 0), addi(REG.a2, 0, 0), addi(REG.a3, 0, 8),
      addi(REG.a7, 0, SYS.rt_sigaction), ECALL,
      addi(REG.a7, 0, SYS.getpid), ECALL,
      addi(REG.a1, 0, 10), addi(REG.a7, 0, SYS.kill), ECALL,
      addi(REG.a0, 0, 99), addi(REG.a7, 0, SYS.exit_group), ECALL,
      // the handler
      addi(REG.a7, 0, SYS.exit_group), ECALL,
    ];
    const w = new ProgramWorld();
    w.put('/bin/usr1', tinyProgram(code));
    expect(w.run({ path: '/bin/usr1' })).toEqual({ kind: 'exited', status: 10, signal: 0 });
  });
});

describe('CPU time', () => {
  it('time on the CPU is user time and time in calls system time, one clock read per kernel entry and exit', () => {
    // getpid(); exit_group(0). The clock steps 1000 ns per read: read at
    // the slice start, at each ecall, and after each call returns.
    const w = new ProgramWorld();
    w.put('/bin/t', tinyProgram([addi(REG.a7, 0, SYS.getpid), ECALL, addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.exit_group), ECALL]));
    const pid = w.start({ path: '/bin/t' });
    const task = w.kernel.tasks.get(pid)!;
    let now = 0;
    const reads: number[] = [];
    const cpuClockNs = (): number => {
      now += 1000;
      reads.push(now);
      return now;
    };
    expect(new ProgramDriver(w.kernel, { cpuClockNs }).run(pid)).toEqual({ kind: 'exited', status: 0, signal: 0 });
    // start, getpid's entry and return, exit_group's entry (and its return, after the task's end).
    expect(reads.length).toBe(5);
    expect(task.cpuTime.userNs).toBe(2000);
    expect(task.cpuTime.systemNs).toBe(2000);
  });

  it('with a tick source, the clock is read when the task takes and leaves the CPU, and the ticks split the time', () => {
    // getpid(); getpid(); exit_group(0). A tick falls at each clock read and
    // at each call (the tick source is read at every kernel entry and exit).
    const w = new ProgramWorld();
    w.put('/bin/t', tinyProgram([
      addi(REG.a7, 0, SYS.getpid), ECALL, addi(REG.a7, 0, SYS.getpid), ECALL,
      addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.exit_group), ECALL,
    ]));
    const pid = w.start({ path: '/bin/t' });
    const task = w.kernel.tasks.get(pid)!;
    const ticks = new Int32Array(1);
    let now = 0;
    let reads = 0;
    const cpuClockNs = (): number => {
      reads++;
      now += 4000;
      return now;
    };
    // Wrap the syscall path: one tick in every call (system), none on the CPU.
    const rt = w.kernel.runtime;
    const syscall = rt.syscall.bind(rt);
    rt.syscall = (...args: Parameters<typeof rt.syscall>) => {
      ticks[0]!++;
      return syscall(...args);
    };
    expect(new ProgramDriver(w.kernel, { cpuClockNs, cpuTicks: { ticks } }).run(pid)).toEqual({ kind: 'exited', status: 0, signal: 0 });
    // One turn: its start and its end, not a read per call.
    expect(reads).toBe(2);
    // Every tick fell in system mode: the whole run time is system time (cputime_adjust).
    expect(task.cpuTime.systemNs + task.cpuTime.userNs).toBe(4000);
    expect(task.cpuTime.systemNs).toBe(4000);
  });
});

describe('processes', () => {
  it('a forked child runs on its own CPU with the parent\'s registers and a0 = 0; the parent reaps it', () => {
    // clone(SIGCHLD, 0, 0, 0, 0); the child exits 3, the parent exits 10 + WEXITSTATUS.
    const code = [
      addi(REG.a0, 0, 17), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a4, 0, 0),
      addi(REG.a7, 0, SYS.clone), ECALL,
      encodeB(0x63, 1, REG.a0, REG.zero, 16), // bne a0, zero, parent
      addi(REG.a0, 0, 3), addi(REG.a7, 0, SYS.exit), ECALL, 0x00000013,
      // parent: wait4(-1, sp - 16, 0, 0)
      addi(REG.a0, 0, -1), addi(REG.a1, REG.sp, -16), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a7, 0, SYS.wait4), ECALL,
      encodeI(0x03, REG.a0, 2, REG.sp, -16), // lw a0, -16(sp)
      encodeI(0x13, REG.a0, 5, REG.a0, 8), // srli a0, a0, 8
      addi(REG.a0, REG.a0, 10), addi(REG.a7, 0, SYS.exit_group), ECALL,
    ];
    const w = new ProgramWorld();
    w.put('/bin/forker', tinyProgram(code));
    expect(w.run({ path: '/bin/forker' })).toEqual({ kind: 'exited', status: 13, signal: 0 });
  });

  it('a CLONE_VFORK parent sleeps until its child exits, then sees what the child stored in their shared memory', () => {
    // clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0): the child stores 43 at sp - 64 and exits; the parent exits with that word.
    const code = [
      encodeU(0x37, REG.a0, 0x4000), addi(REG.a0, REG.a0, 0x111), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0),
      addi(REG.a4, 0, 0), addi(REG.a7, 0, SYS.clone), ECALL,
      encodeB(0x63, 1, REG.a0, REG.zero, 24), // bne a0, zero, parent
      addi(REG.a5, 0, 43), encodeS(0x23, 2, REG.sp, REG.a5, -64), addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.exit), ECALL,
      encodeI(0x03, REG.a0, 2, REG.sp, -64), addi(REG.a7, 0, SYS.exit_group), ECALL,
    ];
    const w = new ProgramWorld();
    w.put('/bin/vfork', tinyProgram(code));
    expect(w.run({ path: '/bin/vfork' })).toEqual({ kind: 'exited', status: 43, signal: 0 });
  });

  it('execve from a running program replaces its image; argv reaches the new one through the stack', () => {
    const w = new ProgramWorld();
    w.put('/bin/tiny', fixture(elfFixtures + 'tiny-static'));
    // A #! script whose interpreter is tiny: the script runs tiny.
    w.put('/bin/script', '#!/bin/tiny -x\n');
    expect(w.run({ path: '/bin/script', argv: ['script', 'a'] })).toEqual({ kind: 'exited', status: 42, signal: 0 });
    expect(w.output()).toBe('hello\n');
  });
});

describe('execve from a thread', () => {
  it('ends the other threads and the new program runs under the leader\'s tid, even while the leader slept in a call', () => {
    const w = new ProgramWorld();
    w.put('/bin/tiny', fixture(elfFixtures + 'tiny-static'));
    // clone(CLONE_VM|FS|FILES|SIGHAND|THREAD, sp - 2048): the thread execs /bin/tiny; the leader sleeps in
    // futex(FUTEX_WAIT_PRIVATE) on a zero word forever.
    const program = (data: number): number[] => {
      const hi = (a: number): number => (a + 0x800) & ~0xfff;
      return [
        encodeU(0x37, REG.a0, 0x11000), addi(REG.a0, REG.a0, -0x100), addi(REG.a1, REG.sp, -2048), addi(REG.a2, 0, 0),
        addi(REG.a3, 0, 0), addi(REG.a4, 0, 0), addi(REG.a7, 0, SYS.clone), ECALL,
        encodeB(0x63, 1, REG.a0, REG.zero, 32), // bne a0, zero, leader
        encodeU(0x37, REG.a0, hi(data)), addi(REG.a0, REG.a0, data - hi(data)), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0),
        addi(REG.a7, 0, SYS.execve), ECALL, addi(REG.a7, 0, SYS.exit), ECALL,
        // leader: futex(data + 12, FUTEX_WAIT_PRIVATE, 0, NULL)
        encodeU(0x37, REG.a0, hi(data + 12)), addi(REG.a0, REG.a0, data + 12 - hi(data + 12)), addi(REG.a1, 0, 128),
        addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a7, 0, SYS.futex), ECALL, addi(REG.a7, 0, SYS.exit_group), ECALL,
      ];
    };
    const data = TINY_ENTRY + program(0).length * 4;
    w.put('/bin/threads', tinyProgram(program(data), new TextEncoder().encode('/bin/tiny\0\0\0\0\0\0\0')));
    const pid = w.start({ path: '/bin/threads' });
    expect(new ProgramDriver(w.kernel).run(pid)).toEqual({ kind: 'exited', status: 42, signal: 0 });
    expect(w.output()).toBe('hello\n');
    expect(w.kernel.tasks.group(pid)).toBeUndefined(); // reaped: it was the reaper's child
  });
});

describe('execve errors leave the caller intact', () => {
  it.each([
    ['a text file', '/bin/text', 'just text\n', 0o755, -Errno.ENOEXEC],
    ['a file without x bits', '/bin/noexec', fixture(elfFixtures + 'tiny-static'), 0o644, -Errno.EACCES],
    ['a missing file', '/bin/missing', null, 0, -Errno.ENOENT],
    ['another machine (x86-64)', '/bin/x86', tinyProgram([ECALL]).map((b, i) => (i === 18 ? 62 : b)), 0o755, -Errno.ENOEXEC],
    ['a directory', '/bin', null, 0, -Errno.EACCES],
    ['a script loop', '/bin/loop', '#!/bin/loop\n', 0o755, -Errno.ELOOP],
  ] as const)('%s', (_what, path, content, mode, errno) => {
    const w = new ProgramWorld();
    if (content !== null) w.put(path, content, mode);
    w.put('/bin/keep', tinyProgram([ECALL]));
    expect(w.start({ path })).toBe(errno);
  });

  it('a failed execve returns to the same image, which goes on running', () => {
    const w = new ProgramWorld();
    w.put('/bin/text', 'not a program\n');
    // execve("/bin/text", NULL, NULL); exit(-a0): the errno came back to the old image.
    const path = TINY_ENTRY + 9 * 4;
    const code = [
      encodeU(0x37, REG.a0, path & ~0xfff), addi(REG.a0, REG.a0, path & 0xfff), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0),
      addi(REG.a7, 0, SYS.execve), ECALL,
      encodeR(0x33, REG.a0, 0, REG.zero, REG.a0, 0x20), // sub a0, zero, a0
      addi(REG.a7, 0, SYS.exit), ECALL,
    ];
    w.put('/bin/caller', tinyProgram(code, new TextEncoder().encode('/bin/text\0')));
    expect(w.run({ path: '/bin/caller' })).toEqual({ kind: 'exited', status: Errno.ENOEXEC, signal: 0 });
  });

  it('/proc is noexec', () => {
    const w = new ProgramWorld();
    expect(w.start({ path: '/proc/self/maps' })).toBe(-Errno.EACCES);
  });
});

describe('the FP state in the context', () => {
  it('is saved at a trap after an instruction changed it, and stays what it was after traps that did not (fpr.dirty)', () => {
    // f3 = 0x1234 (fmv.d.x), getpid; f3 = 0x5678, fflags = 3, getpid; getpid again with no FP instruction; exit.
    const fmvDX = (fd: number, rs: number): number => encodeR(0x53, fd, 0, rs, 0, 0x79);
    const csrrwiFflags = (uimm: number): number => encodeI(0x73, 0, 5, uimm, 0x001);
    const T0 = 5, GETPID = addi(REG.a7, 0, SYS.getpid);
    const w = new ProgramWorld();
    w.put('/bin/fp', tinyProgram([
      addi(T0, 0, 0x123), fmvDX(3, T0), GETPID, ECALL,
      addi(T0, 0, 0x567), fmvDX(3, T0), csrrwiFflags(3), GETPID, ECALL,
      GETPID, ECALL,
      addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.exit), ECALL,
    ]));
    const seen: [number, number][] = [];
    const result = w.run({ path: '/bin/fp' }, {
      tracer: {
        enter: (task, nr) => {
          if (nr !== SYS.getpid) return undefined;
          const fp = new DataView((task.userContext as { fp: Uint8Array }).fp.buffer);
          // f3's low word, and fcsr (after f0..f31).
          seen.push([fp.getUint32(3 * 8, true), fp.getUint32(32 * 8, true)]);
          return undefined;
        },
        exit: () => {},
      },
    });
    expect(result).toEqual({ kind: 'exited', status: 0, signal: 0 });
    expect(seen).toEqual([[0x123, 0], [0x567, 3], [0x567, 3]]);
  });
});

describe('a futex call that does not sleep leaves the context unsaved until the turn ends', () => {
  it('keeps every register through a preemption right after the call, at every time slice', () => {
    // s1 = 77; futex(sp - 16, FUTEX_WAKE, 1) twice (no waiter: 0); s1 += a0 + 1 after each; exit(s1).
    const S1 = 9, FUTEX_WAKE = 1;
    const wake = [
      addi(REG.a0, REG.sp, -16), addi(REG.a1, 0, FUTEX_WAKE), addi(REG.a2, 0, 1), addi(REG.a7, 0, SYS.futex), ECALL,
      encodeR(0x33, S1, 0, S1, REG.a0, 0), addi(S1, S1, 1), // add s1, s1, a0; addi s1, s1, 1
    ];
    const w = new ProgramWorld();
    w.put('/bin/wake', tinyProgram([addi(S1, 0, 77), ...wake, ...wake, addi(REG.a0, S1, 0), addi(REG.a7, 0, SYS.exit), ECALL]));
    for (let timeSlice = 1; timeSlice <= 18; timeSlice++) {
      expect(w.run({ path: '/bin/wake' }, { timeSlice })).toEqual({ kind: 'exited', status: 79, signal: 0 });
    }
  });
});
