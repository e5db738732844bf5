import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROGRAM_CASES, programRows } from '../src/cases/programs';
import { timeProgram } from '../src/program-timing';
import { checksumOf, instretOf, programSides, tskernRunner } from '../src/programs';
import { formatTable } from '../src/report';

const hasGcc = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return process.platform === 'linux' && process.arch === 'x64';
  } catch {
    return false;
  }
})();

describe('program timing', () => {
  it('subtracts the 0-iteration cost and grows N to the target', () => {
    const seen: number[] = [];
    // 5 ms to start and end a process, 10 µs per iteration.
    const t = timeProgram((n) => (seen.push(n), { ns: 5e6 + n * 1e4, out: `checksum ${n}\n` }), { firstIters: 4, maxIters: 1e6, targetMs: 50 });
    expect(t.timing.nsPerOp).toBeCloseTo(1e4, 6);
    expect(t.fixedNs).toBe(5e6);
    expect(t.timing.iters * 1e4).toBeGreaterThanOrEqual(50e6);
    expect(seen[0]).toBe(4);
    expect(checksumOf(t.first.out)).toBe('4');
  });
});

describe('program rows', () => {
  const ok = (nsPerOp: number, out: string) => ({
    ok: { timing: { nsPerOp, iters: 10, batches: 3, spread: 0 }, fixedNs: 0, first: { ns: 0, out }, last: { ns: 0, out } },
  });
  it('rates compute in MIPS from tskern instruction count, the same count for qemu', () => {
    const compute = PROGRAM_CASES.find((c) => c.compute === true)!;
    // 10 rounds retired 20,000 instructions: 2,000 a round; 1 µs a round on qemu is 2,000 MIPS.
    const [vsQemu, vsNative] = programRows(compute, ok(10_000, 'checksum 7\ninstret 20000\n'), ok(1_000, 'checksum 7\n'), ok(500, 'checksum 7\n'));
    expect(vsQemu).toMatchObject({ unit: 'MIPS', tskern: 200, reference: 2000, ratio: 0.1, met: false });
    expect(vsNative).toMatchObject({ tskern: 10, reference: 0.5, target: null });
  });
  it('shows a missing qemu as a dash and a checksum mismatch as a note', () => {
    const mmap = PROGRAM_CASES.find((c) => c.program === 'bench_mmap')!;
    const [vsQemu, vsNative] = programRows(mmap, ok(500, 'checksum 7\n'), { problem: 'qemu-riscv64 not installed' }, ok(1_000, 'checksum 8\n'));
    expect(vsQemu).toMatchObject({ reference: null, ratio: null, met: null, note: 'qemu-riscv64 not installed' });
    expect(vsNative).toMatchObject({ reference: null, note: 'checksum differs: tskern 7, reference 8' });
    const line = formatTable([vsQemu!]).split('\n')[2]!;
    expect(line).toContain('—');
    expect(line).not.toContain('NaN');
  });
  it('parses the result lines', () => {
    expect(instretOf('checksum 1f\ninstret 123\n')).toBe(123);
    expect(instretOf('checksum 1f\n')).toBeNull();
  });
});

describe.skipIf(!hasGcc)('bench programs', () => {
  it('print the same checksum on tskern as built natively for x86-64 Linux', () => {
    const sides = programSides(() => {});
    expect(typeof sides.native).toBe('function');
    if (typeof sides.native === 'string') return;
    for (const [name, n] of [['bench_mmap', 5], ['bench_shm_pingpong', 5], ['bench_compute', 1]] as const) {
      const linux = checksumOf(sides.native(name)(n).out);
      expect(linux).not.toBeNull();
      const out = tskernRunner(name)(n).out;
      expect(checksumOf(out)).toBe(linux);
      if (name === 'bench_compute') expect(instretOf(out)).toBeGreaterThan(1000);
    }
  }, 120_000);
});
