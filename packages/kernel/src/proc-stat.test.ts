import { describe, expect, it } from 'vitest';
import { SYS } from '@tskern/abi';
import { createKernel } from './kernel';
import { readProcessFile } from './testing/read-file';

describe('/proc/stat of a kernel', () => {
  it('shows one cpu line per CPU the kernel claims, btime before now and the tasks created', () => {
    const k = createKernel({ cpus: 3 });
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    k.syscall(p, SYS.fork);
    const lines = readProcessFile(k, p, '/proc/stat').split('\n');
    expect(lines.filter((l) => /^cpu\d+ /.test(l))).toHaveLength(3);
    expect(lines[0]!.startsWith('cpu  ')).toBe(true);
    const btime = Number(lines.find((l) => l.startsWith('btime '))!.slice(6));
    expect(btime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(lines).toContain('processes 2');
    expect(lines).toContain('procs_running 2');
  });
});
