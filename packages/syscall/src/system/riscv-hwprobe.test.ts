import fc from 'fast-check';
import { Errno, SYS_RISCV64 } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';
import { HWPROBE_KEY as K, HWPROBE_WHICH_CPUS } from './riscv-hwprobe';

const NR = SYS_RISCV64.riscv_hwprobe;

/** A riscv64 task with a zeroed scratch page; pairs go at `buf`, a CPU set at `buf + 2048`. */
function setup() {
  const w = world();
  const t = w.tasks.spawn('/bin/p', { cred: new Credentials(0, 0), abi: w.rv.abi });
  if (typeof t === 'number') throw new Error('spawn');
  const buf = t.stack.end - 8192;
  expect(store(t.mm, buf, new Uint8Array(8192), 0, 8192)).toBe(0);
  const putPairs = (pairs: readonly (readonly [bigint, bigint])[]) => {
    const b = new Uint8Array(16 * pairs.length);
    const v = new DataView(b.buffer);
    pairs.forEach(([k, x], i) => { v.setBigInt64(i * 16, k, true); v.setBigUint64(i * 16 + 8, x, true); });
    expect(store(t.mm, buf, b, 0, b.length)).toBe(0);
  };
  const pairsAt = (n: number): [bigint, bigint][] => {
    const b = new Uint8Array(16 * n);
    expect(load(t.mm, buf, b, 0, b.length)).toBe(0);
    const v = new DataView(b.buffer);
    return Array.from({ length: n }, (_, i) => [v.getBigInt64(i * 16, true), v.getBigUint64(i * 16 + 8, true)]);
  };
  const cpus = buf + 2048;
  const putCpus = (mask: bigint) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, mask, true);
    expect(store(t.mm, cpus, b, 0, 8)).toBe(0);
  };
  const cpusAt = () => {
    const b = new Uint8Array(8);
    expect(load(t.mm, cpus, b, 0, 8)).toBe(0);
    return new DataView(b.buffer).getBigUint64(0, true);
  };
  const call = (...args: number[]) => w.sys(t.tid, NR, ...args);
  return { w, t, buf, cpus, putPairs, pairsAt, putCpus, cpusAt, call };
}

/** IMA_FD, IMA_C, Zca, Zcd, Zicntr, Zaamo, Zalrsc (hwprobe.h bits 0, 1, 43, 45, 50, 56, 57). */
const RV64GC_EXT0 = (1n << 0n) | (1n << 1n) | (1n << 43n) | (1n << 45n) | (1n << 50n) | (1n << 56n) | (1n << 57n);

describe('riscv_hwprobe', () => {
  it('answers every key Linux 6.18 defines for an RV64GC hart, and -1 with 0 for any other key', () => {
    const s = setup();
    const keys = [...Object.values(K), 15, 1000, -1, -7].map(BigInt);
    s.putPairs(keys.map((k) => [k, 0xdeadn] as const));
    expect(s.call(s.buf, keys.length, 0, 0, 0)).toBe(0);
    expect(s.pairsAt(keys.length)).toEqual([
      [0n, 0n], [1n, 0n], [2n, 0n], // no vendor, architecture or implementation id
      [3n, 1n], // RISCV_HWPROBE_BASE_BEHAVIOR_IMA
      [4n, RV64GC_EXT0],
      [5n, 3n], // MISALIGNED_FAST
      [6n, 0n], // no Zicboz
      [7n, BigInt(s.t.mm.options.taskSize)],
      [8n, 10_000_000n],
      [9n, 3n], // MISALIGNED_SCALAR_FAST
      [10n, 4n], // MISALIGNED_VECTOR_UNSUPPORTED: no V
      [11n, 0n], [12n, 0n], [13n, 0n], [14n, 0n],
      [-1n, 0n], [-1n, 0n], [-1n, 0n], [-1n, 0n],
    ]);
  });

  it('takes a CPU set that must hold an online CPU, and only the flag WHICH_CPUS', () => {
    const s = setup();
    s.putPairs([[BigInt(K.BASE_BEHAVIOR), 0n]]);
    s.putCpus(1n);
    expect(s.call(s.buf, 1, 8, s.cpus, 0)).toBe(0);
    // cpusetsize past cpumask_size() is clamped, not refused.
    expect(s.call(s.buf, 1, 4096, s.cpus, 0)).toBe(0);
    s.putCpus(2n); // CPU 1: not online on one CPU
    expect(s.call(s.buf, 1, 8, s.cpus, 0)).toBe(-Errno.EINVAL);
    expect(s.call(s.buf, 1, 8, 0, 0)).toBe(-Errno.EFAULT);
    expect(s.call(s.buf, 1, 0, 0, 2)).toBe(-Errno.EINVAL);
    expect(s.call(0, 1, 0, 0, 0)).toBe(-Errno.EFAULT);
    // No pairs, nothing read.
    expect(s.call(0, 0, 0, 0, 0)).toBe(0);
  });

  it('WHICH_CPUS keeps the CPUs that have every asked bit of a bitmask key and the exact value of the others', () => {
    const s = setup();
    s.putPairs([[BigInt(K.IMA_EXT_0), 3n], [BigInt(K.TIME_CSR_FREQ), 10_000_000n]]);
    s.putCpus(0n); // empty: every online CPU
    expect(s.call(s.buf, 2, 8, s.cpus, HWPROBE_WHICH_CPUS)).toBe(0);
    expect(s.cpusAt()).toBe(1n);
    s.putPairs([[BigInt(K.IMA_EXT_0), 1n << 2n]]); // V
    expect(s.call(s.buf, 1, 8, s.cpus, HWPROBE_WHICH_CPUS)).toBe(0);
    expect(s.cpusAt()).toBe(0n);
    s.putPairs([[BigInt(K.HIGHEST_VIRT_ADDRESS), 1n], [99n, 5n]]);
    s.putCpus(1n);
    expect(s.call(s.buf, 2, 8, s.cpus, HWPROBE_WHICH_CPUS)).toBe(0);
    expect(s.cpusAt()).toBe(0n);
    expect(s.pairsAt(2)[1]).toEqual([-1n, 0n]);
    expect(s.call(s.buf, 1, 0, s.cpus, HWPROBE_WHICH_CPUS)).toBe(-Errno.EINVAL);
    expect(s.call(s.buf, 1, 8, 0, HWPROBE_WHICH_CPUS)).toBe(-Errno.EINVAL);
    expect(s.call(s.buf, 1, 8, s.cpus, HWPROBE_WHICH_CPUS | 2)).toBe(-Errno.EINVAL);
  });

  it('WHICH_CPUS on IMA_EXT_0 matches exactly the subsets of what the values call reports', () => {
    const s = setup();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (asked) => {
        s.putPairs([[BigInt(K.IMA_EXT_0), 0n]]);
        expect(s.call(s.buf, 1, 0, 0, 0)).toBe(0);
        const have = s.pairsAt(1)[0]![1];
        s.putPairs([[BigInt(K.IMA_EXT_0), asked & (have | (1n << 2n))]]);
        s.putCpus(1n);
        expect(s.call(s.buf, 1, 8, s.cpus, HWPROBE_WHICH_CPUS)).toBe(0);
        expect(s.cpusAt()).toBe((asked & (1n << 2n)) === 0n ? 1n : 0n);
      }),
      { numRuns: 40 },
    );
  });
});
