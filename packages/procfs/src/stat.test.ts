import { describe, expect, it } from 'vitest';
import { formatStat } from './stat';

// The shape of the host's /proc/stat (Linux 6.18): "cpu  " with two spaces,
// ten times per cpu line, softirq's total and ten counts.
describe('/proc/stat', () => {
  it('has a cpu total, one line per CPU, btime, processes and the procs counts', () => {
    const text = formatStat({ cpus: 2, idleNs: 4e9, bootTimeSec: 1796538574.7, forks: 12, running: 3, blocked: 0 });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('cpu  0 0 0 400 0 0 0 0 0 0');
    expect(lines[1]).toBe('cpu0 0 0 0 200 0 0 0 0 0 0');
    expect(lines[2]).toBe('cpu1 0 0 0 200 0 0 0 0 0 0');
    expect(lines).toContain('btime 1796538574');
    expect(lines).toContain('processes 12');
    expect(lines).toContain('procs_running 3');
    expect(lines).toContain('procs_blocked 0');
    expect(lines.at(-1)!.split(' ')).toHaveLength(12);
  });
});
