import { describe, expect, it } from 'vitest';
import { Errno, SYS, SYS_RISCV64 } from '@tskern/abi';
import { SIG } from '@tskern/signal';
import { PR } from '@tskern/syscall';
import { createKernel } from './kernel';
import { readProcessFile } from './testing/read-file';

const enc = new TextEncoder();
type K = ReturnType<typeof createKernel>;

function readlink(k: K, pid: number, path: string): string | number {
  const { end } = k.stack(pid);
  k.store(pid, end - 4096, enc.encode(path + '\0'));
  const n = k.syscall(pid, SYS.readlink, end - 4096, end - 8192, 256);
  if (n < 0) return n;
  const b = new Uint8Array(n);
  k.load(pid, end - 8192, b);
  return new TextDecoder().decode(b);
}

function field(k: K, pid: number, addr: number, n = 65): string {
  const b = new Uint8Array(n);
  k.load(pid, addr, b);
  const end = b.indexOf(0);
  return new TextDecoder().decode(b.subarray(0, end < 0 ? n : end));
}

describe('start-up calls through the default kernel', () => {
  it('uname takes the release and host name from the options and the machine from the task\'s architecture', () => {
    const k = createKernel({ release: '6.1.0-test', hostname: 'tsk', cpus: 2 });
    k.registerProgram('/bin/p', {});
    const x = k.spawn('/bin/p');
    const r = k.spawn('/bin/p', { arch: 'riscv64' });
    const at = (pid: number) => k.stack(pid).end - 1024;
    expect(k.syscall(x, SYS.uname, at(x))).toBe(0);
    expect(k.syscall(r, SYS_RISCV64.uname, at(r))).toBe(0);
    expect([field(k, x, at(x) + 65), field(k, x, at(x) + 130), field(k, x, at(x) + 260), field(k, r, at(r) + 260)]).toEqual(['tsk', '6.1.0-test', 'x86_64', 'riscv64']);
    expect(k.syscall(x, SYS.sched_getaffinity, 0, 8, at(x))).toBe(8);
    expect(k.syscall(r, SYS_RISCV64.sched_getaffinity, 0, 8, at(r))).toBe(8);
    const mask = new Uint8Array(8);
    k.load(r, at(r), mask);
    expect(mask[0]).toBe(3);
  });

  it('/proc/meminfo follows the frame allocator; /proc/uptime the virtual clock', () => {
    const k = createKernel({ clock: 'virtual' });
    k.registerProgram('/bin/p', {});
    const p = k.spawn('/bin/p');
    const total = k.frames.stats().totalFrames * 4;
    const info = readProcessFile(k, p, '/proc/meminfo', 1000);
    expect(info.split('\n')[0]).toBe(`MemTotal:       ${String(total).padStart(8)} kB`);
    const free = Number(/MemFree: +(\d+) kB/.exec(info)![1]);
    expect(free).toBeLessThan(total);
    expect(free).toBeGreaterThan(total - 1024);
    k.clock.advanceTo?.(3_456_000_000);
    expect(readProcessFile(k, p, '/proc/uptime', 1000)).toBe('3.45 0.00\n');
  });

  it('execve sets comm, cmdline and exe; prctl(PR_SET_NAME) shows in comm and status', () => {
    const k = createKernel();
    k.registerProgram('/bin/p', {});
    k.registerProgram('/usr/bin/tool', {});
    const p = k.spawn('/bin/p', { argv: ['p', 'one'] });
    expect(readProcessFile(k, p, '/proc/self/cmdline', 1000)).toBe('p\0one\0');
    expect(readlink(k, p, '/proc/self/exe')).toBe('/bin/p');
    const { end } = k.stack(p);
    k.store(p, end - 512, enc.encode('/usr/bin/tool\0tool\0--flag\0'));
    const argv = new Uint8Array(24);
    new DataView(argv.buffer).setBigUint64(0, BigInt(end - 512 + 14), true);
    new DataView(argv.buffer).setBigUint64(8, BigInt(end - 512 + 19), true);
    k.store(p, end - 256, argv);
    expect(k.syscall(p, SYS.execve, end - 512, end - 256, 0)).toBe(0);
    expect(readProcessFile(k, p, `/proc/${p}/cmdline`, 1000)).toBe('tool\0--flag\0');
    expect(readlink(k, p, `/proc/${p}/exe`)).toBe('/usr/bin/tool');
    expect(readProcessFile(k, p, '/proc/self/comm', 1000)).toBe('tool\n');
    const s = k.stack(p).end;
    k.store(p, s - 512, enc.encode('renamed\0'));
    expect(k.syscall(p, SYS.prctl, PR.PR_SET_NAME, s - 512)).toBe(0);
    expect(readProcessFile(k, p, '/proc/self/comm', 1000)).toBe('renamed\n');
    expect(readProcessFile(k, p, '/proc/self/status', 1000)).toContain('Name:\trenamed\n');
    const other = k.spawn('/bin/p', { uid: 1000, gid: 1000 });
    expect(readlink(k, other, `/proc/${p}/exe`)).toBe(-Errno.EACCES);
  });

  it('PR_SET_PDEATHSIG: the child gets its signal when the parent process exits', () => {
    const k = createKernel();
    k.registerProgram('/bin/p', {});
    const parent = k.spawn('/bin/p');
    const child = k.syscall(parent, SYS.fork);
    const quiet = k.syscall(parent, SYS.fork);
    expect(k.syscall(child, SYS.prctl, PR.PR_SET_PDEATHSIG, SIG.SIGTERM)).toBe(0);
    expect(k.syscall(parent, SYS.exit_group, 0)).toBe(0);
    expect(k.isAlive(child)).toBe(false);
    expect(k.isAlive(quiet)).toBe(true);
    // sysinfo's procs counts the one task left.
    const at = k.stack(quiet).end - 512;
    expect(k.syscall(quiet, SYS.sysinfo, at)).toBe(0);
    const info = new Uint8Array(112);
    k.load(quiet, at, info);
    expect(new DataView(info.buffer).getUint16(80, true)).toBe(1);
  });

  it('getrusage counts the faults of touched pages and the resident high-water mark', () => {
    const k = createKernel();
    k.registerProgram('/bin/p', {});
    const p = k.spawn('/bin/p');
    const at = k.stack(p).end - 4096;
    k.fill(p, at, 144, 0); // fault the buffer in before the first count
    expect(k.syscall(p, SYS.getrusage, 0, at)).toBe(0);
    const before = new Uint8Array(144);
    k.load(p, at, before);
    const addr = k.syscall(p, SYS.mmap, 0, 64 * 4096, 3, 0x22, -1, 0);
    k.fill(p, addr, 64 * 4096, 1);
    expect(k.syscall(p, SYS.munmap, addr, 64 * 4096)).toBe(0);
    expect(k.syscall(p, SYS.getrusage, 0, at)).toBe(0);
    const after = new Uint8Array(144);
    k.load(p, at, after);
    const v = (b: Uint8Array, o: number) => Number(new DataView(b.buffer).getBigInt64(o, true));
    expect(v(after, 64) - v(before, 64)).toBe(64);
    expect(v(after, 32) - v(before, 32)).toBeGreaterThanOrEqual(256);
  });
});
