import { describe, expect, it } from 'vitest';
import { SYS } from '@tskern/abi';
import { createKernel } from './kernel';

function readFile(k: ReturnType<typeof createKernel>, pid: number, path: string): string {
  const { end } = k.stack(pid);
  const pathAt = end - 4096;
  k.store(pid, pathAt, new TextEncoder().encode(path + '\0'));
  const fd = k.syscall(pid, SYS.open, pathAt, 0, 0);
  if (fd < 0) return `open: ${fd}`;
  const bufAt = end - 65536;
  const n = k.syscall(pid, SYS.read, fd, bufAt, 4000);
  const chunk = new Uint8Array(Math.max(0, n));
  k.load(pid, bufAt, chunk);
  k.syscall(pid, SYS.close, fd);
  return new TextDecoder().decode(chunk);
}

describe('/proc/stat of a kernel', () => {
  it('shows one cpu line per CPU the kernel claims, btime before now and the tasks created', () => {
    const k = createKernel({ cpus: 3 });
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    k.syscall(p, SYS.fork);
    const lines = readFile(k, p, '/proc/stat').split('\n');
    expect(lines.filter((l) => /^cpu\d+ /.test(l))).toHaveLength(3);
    expect(lines[0]!.startsWith('cpu  ')).toBe(true);
    const btime = Number(lines.find((l) => l.startsWith('btime '))!.slice(6));
    expect(btime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(lines).toContain('processes 2');
    expect(lines).toContain('procs_running 2');
  });
});
