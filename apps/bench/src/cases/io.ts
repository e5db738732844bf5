/**
 * pwrite/pread on shmfs (Linux: tmpfs /dev/shm) of 4 KiB and 1 MiB, and the
 * physical limit of a 1 MiB copy: memcpy in C, TypedArray.set in JS. tskern's
 * 1 MiB cases are held to the JS copy limit (as throughput).
 */
import { SYS, shmObjectPath } from '@tskern/abi';
import { timePair, timedCase, timings, type TimedPair } from '../compare';
import type { BenchContext, CaseGroup } from '../context';
import { measure, since, type Timing } from '../timing';
import { Proc } from '../tskern';
import { caseResult, TARGETS, type CaseResult } from '../types';
import { SHM_OPEN_FLAGS } from './shm';

const KiB = 1024;
const MiB = 1024 * 1024;

/** A process with an unlinked shm file of `size` bytes (written once) and a resident buffer of the same size. */
function ioSetup(size: number, write: boolean) {
  const p = Proc.boot();
  const path = p.cstring(shmObjectPath('tskern-bench-io'));
  const fd = p.sys(SYS.open, path, SHM_OPEN_FLAGS, 0o600);
  p.sys(SYS.unlink, path);
  p.sys(SYS.ftruncate, fd, size);
  const buf = p.mmapAnon(size);
  p.k.fill(p.pid, buf, size, 7);
  if (p.sys(SYS.pwrite64, fd, buf, size, 0) !== size) throw new Error('short pwrite');
  const nr = write ? SYS.pwrite64 : SYS.pread64;
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) if (p.sys(nr, fd, buf, size, 0) !== size) throw new Error('short transfer');
    return since(t0);
  };
}

/** TypedArray.set of `size` bytes between two resident arrays. */
function jsCopy(size: number) {
  const src = new Uint8Array(size).fill(7);
  const dst = new Uint8Array(size);
  return (iters: number) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) dst.set(src);
    return since(t0);
  };
}

/** GB/s (= bytes per ns) of moving `size` bytes per operation. */
const gbps = (t: Timing | null, size: number): number | null => (t === null ? null : size / t.nsPerOp);

const UNIT = 'GB/s (ratio of throughput)';

function bigTransfer(ctx: BenchContext, op: 'pwrite' | 'pread', copy: Timing): CaseResult[] {
  const p: TimedPair = timePair(ctx, {
    name: `${op} 1 MiB`,
    native: { name: op, param: MiB },
    tskern: () => ioSetup(MiB, op === 'pwrite'),
    target: null,
    scale: 1,
    unit: UNIT,
  });
  const note = p.note !== undefined ? { note: p.note } : {};
  const timing = { timing: timings(p.tskern, p.linux) };
  return [
    caseResult({ name: `${op} 1 MiB shmfs (vs Linux tmpfs)`, unit: UNIT, tskern: gbps(p.tskern, MiB), reference: gbps(p.linux, MiB), referenceName: 'Linux', ...note, ...timing }),
    caseResult({
      name: `${op} 1 MiB shmfs (vs JS copy limit)`,
      unit: UNIT,
      tskern: gbps(p.tskern, MiB),
      reference: gbps(copy, MiB),
      referenceName: 'TypedArray.set 1 MiB',
      target: TARGETS.copy,
      ...note,
      timing: timings(p.tskern, copy),
    }),
  ];
}

export const io: CaseGroup = {
  name: 'io',
  run: (ctx) => {
    const rows: CaseResult[] = [];
    for (const op of ['pwrite', 'pread'] as const) {
      rows.push(
        timedCase(ctx, {
          name: `${op} 4 KiB shmfs (Linux: tmpfs)`,
          native: { name: op, param: 4 * KiB },
          tskern: () => ioSetup(4 * KiB, op === 'pwrite'),
          target: TARGETS.fast,
          scale: 1e3,
          unit: 'µs/op',
        }),
      );
    }
    ctx.log('  copy 1 MiB: JS');
    const copy = measure(jsCopy(MiB));
    ctx.log(', C\n');
    const memcpy = ctx.native.time('memcpy', copy.iters, MiB);
    rows.push(
      caseResult({
        name: 'copy 1 MiB: TypedArray.set (vs memcpy)',
        unit: UNIT,
        tskern: gbps(copy, MiB),
        reference: gbps(memcpy, MiB),
        referenceName: 'memcpy (C)',
        note: 'the physical copy limit of each side; the tskern column is plain JS',
        timing: timings(copy, memcpy),
      }),
    );
    rows.push(...bigTransfer(ctx, 'pwrite', copy), ...bigTransfer(ctx, 'pread', copy));
    return rows;
  },
};
