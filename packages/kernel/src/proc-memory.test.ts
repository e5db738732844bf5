import { describe, expect, it } from 'vitest';
import { MAP, O, PROT, SEEK, SYS } from '@tskern/abi';
import { createKernel } from './kernel';

const enc = new TextEncoder();
const K = 4096;

type Kernel = ReturnType<typeof createKernel>;

/** Open `path` as process `pid` with its path on the stack; the fd or -errno. */
function open(k: Kernel, pid: number, path: string, flags: number): number {
  const at = k.stack(pid).end - K;
  k.store(pid, at, enc.encode(path + '\0'));
  return k.syscall(pid, SYS.open, at, flags, 0);
}

function readAll(k: Kernel, pid: number, path: string): string {
  const fd = open(k, pid, path, O.O_RDONLY);
  const bufAt = k.stack(pid).end - 65536;
  let text = '';
  for (let n; (n = k.syscall(pid, SYS.read, fd, bufAt, 4000)) > 0; ) {
    const chunk = new Uint8Array(n);
    k.load(pid, bufAt, chunk);
    text += new TextDecoder().decode(chunk);
  }
  k.syscall(pid, SYS.close, fd);
  return text;
}

function writeText(k: Kernel, pid: number, path: string, text: string): number {
  const fd = open(k, pid, path, O.O_WRONLY);
  const at = k.stack(pid).end - 2 * K;
  k.store(pid, at, enc.encode(text));
  const n = k.syscall(pid, SYS.write, fd, at, text.length);
  k.syscall(pid, SYS.close, fd);
  return n;
}

/** The `Name: N kB` figure of the smaps block of the VMA starting at `start`. */
function smapsField(smaps: string, start: number, name: string): number {
  const block = smaps.split(/\n(?=[0-9a-f]+-)/).find((b) => b.startsWith(`${start.toString(16)}-`));
  const m = block === undefined ? null : new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(block);
  return m === null ? -1 : Number(m[1]);
}

describe('/proc/<pid>/smaps, pagemap and oom_score_adj in the default kernel', () => {
  it('shows an mlocked write-only mapping resident and locked whole (LTP mlock05)', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
    const a = k.syscall(p, SYS.mmap, 0, 256 * K, PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(k.syscall(p, SYS.mlock, a, 256 * K)).toBe(0);
    const smaps = readAll(k, p, '/proc/self/smaps');
    expect(smapsField(smaps, a, 'Rss')).toBe(1024);
    expect(smapsField(smaps, a, 'Locked')).toBe(1024);
    expect(smapsField(smaps, a, 'Size')).toBe(1024);
    expect(readAll(k, p, `/proc/${p}/smaps_rollup`)).toMatch(/^Locked:\s+1024 kB$/m);
  });

  it('marks MAP_POPULATE pages present in pagemap, one 8-byte entry per page (LTP mmap12)', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const a = k.syscall(p, SYS.mmap, 0, 4 * K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_POPULATE, -1, 0);
    const fd = open(k, p, '/proc/self/pagemap', O.O_RDONLY);
    expect(k.syscall(p, SYS.lseek, fd, (a / K) * 8, SEEK.SEEK_SET)).toBe((a / K) * 8);
    const bufAt = k.stack(p).end - 65536;
    expect(k.syscall(p, SYS.read, fd, bufAt, 5 * 8)).toBe(40);
    const raw = new Uint8Array(40);
    k.load(p, bufAt, raw);
    const view = new DataView(raw.buffer);
    const present = [0, 1, 2, 3, 4].map((i) => view.getBigUint64(i * 8, true) >> 63n);
    expect(present).toEqual([1n, 1n, 1n, 1n, 0n]);
  });

  it('keeps oom_score_adj per process and hands it down at fork', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    expect(readAll(k, p, '/proc/self/oom_score_adj')).toBe('0\n');
    expect(writeText(k, p, '/proc/self/oom_score_adj', '-1000')).toBe(5);
    expect(readAll(k, p, '/proc/self/oom_score')).toBe('0\n');
    const c = k.syscall(p, SYS.fork);
    expect(c).toBeGreaterThan(0);
    expect(readAll(k, c, '/proc/self/oom_score_adj')).toBe('-1000\n');
    expect(writeText(k, c, '/proc/self/oom_score_adj', '7')).toBe(1);
    expect(readAll(k, p, `/proc/${p}/oom_score_adj`)).toBe('-1000\n');
  });
});
