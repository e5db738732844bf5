import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args';
import { describeFailure } from '../src/native';
import { formatNumber, formatTable } from '../src/report';
import { scalingSvg } from '../src/svg';
import { measure, quantile, summarize } from '../src/timing';
import { caseResult, TARGETS } from '../src/types';

describe('args', () => {
  it('skips the -- pnpm passes and reads --json in both spellings', () => {
    expect(parseArgs(['--', '--json', 'out/b.json'])).toMatchObject({ json: 'out/b.json' });
    expect(parseArgs(['--json=b.json', '--only', 'fork,io'])).toMatchObject({ json: 'b.json', only: ['fork', 'io'] });
    expect(parseArgs(['--json'])).toBe('--json needs a file name');
    expect(parseArgs(['--bogus'])).toBe('unknown argument: --bogus');
  });
});

describe('timing', () => {
  it('takes medians and interquartile spreads', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(summarize([10, 10, 10, 10])).toEqual({ median: 10, spread: 0 });
  });
  it('uses the given iterations and stops at the spread', () => {
    const seen: number[] = [];
    const t = measure((iters) => (seen.push(iters), iters * 100), { iters: 7, minBatches: 3 });
    expect(t).toEqual({ nsPerOp: 100, iters: 7, batches: 3, spread: 0 });
    expect(seen).toEqual([7, 7, 7, 7]); // warm-up and three batches
  });
});

describe('results', () => {
  it('derives the ratio and the verdict', () => {
    const r = caseResult({ name: 'x', unit: 'µs/op', tskern: 1, reference: 8, referenceName: 'Linux', target: TARGETS.fast });
    expect(r.ratio).toBe(0.125);
    expect(r.met).toBe(true);
    const abs = caseResult({ name: 'y', unit: 'B', tskern: 250, reference: 200, referenceName: 'Linux', target: TARGETS.perMapping });
    expect(abs.met).toBe(false);
    const missing = caseResult({ name: 'z', unit: 'µs', tskern: null, reference: 3, referenceName: 'Linux', target: TARGETS.fast, note: 'unavailable (ENOSYS)' });
    expect(missing.met).toBeNull();
    expect(formatTable([missing])).toContain('unavailable (ENOSYS)');
  });
  it('formats numbers to 3 significant digits', () => {
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(56935.2)).toBe('56,935');
    expect(formatNumber(null)).toBe('—');
  });
  it('draws the scaling chart from series rows', () => {
    const rows = [10, 1000].map((n) =>
      caseResult({ name: `f ${n}`, unit: 'µs/op', tskern: n / 10, reference: n / 5, referenceName: 'Linux', series: { family: 'fork', n } }),
    );
    const svg = scalingSvg(rows)!;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(scalingSvg([])).toBeNull();
  });
});

describe('native failures', () => {
  it('say why: timeout, signal, or exit status with the program\'s last line on stderr', () => {
    expect(describeFailure({ code: 'ETIMEDOUT', signal: 'SIGTERM' })).toBe('timed out after 60 s');
    expect(describeFailure({ signal: 'SIGKILL', status: null, stderr: '' })).toBe('killed by SIGKILL');
    expect(describeFailure({ status: 2, signal: null, stderr: 'warming up\nnative-bench: fork: Resource temporarily unavailable\n' })).toBe(
      'exit status 2: native-bench: fork: Resource temporarily unavailable',
    );
    expect(describeFailure(new Error('spawn ENOENT\nmore'))).toBe('spawn ENOENT');
  });
});
