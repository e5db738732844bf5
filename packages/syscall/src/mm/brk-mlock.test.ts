import { Errno, MAP, MCL, PROT, RLIMIT, SYS } from '@tskern/abi';
import { lockedBytes } from '@tskern/mman';
import { DEFAULT_START_BRK } from '@tskern/tasks';
import { describe, expect, it } from 'vitest';
import { sys, world } from '../fs/testing/world';

const E = Errno;
const K = 4096;

function setLimit(w: ReturnType<typeof world>, resource: number, cur: bigint, max: bigint): number {
  const addr = w.alloc(16);
  const v = new DataView(new ArrayBuffer(16));
  v.setBigUint64(0, cur, true);
  v.setBigUint64(8, max, true);
  w.scratch.set(new Uint8Array(v.buffer), addr - 0x10000);
  return sys(w.ctx, SYS.setrlimit, resource, addr);
}

function getLimit(w: ReturnType<typeof world>, resource: number): [bigint, bigint] | number {
  const addr = w.alloc(16);
  const r = sys(w.ctx, SYS.getrlimit, resource, addr);
  if (r < 0) return r;
  const v = new DataView(w.bytes(addr, 16).buffer);
  return [v.getBigUint64(0, true), v.getBigUint64(8, true)];
}

describe('brk', () => {
  it('starts where the task model puts the heap and grows and shrinks', () => {
    const w = world();
    expect(sys(w.ctx, SYS.brk, 0)).toBe(DEFAULT_START_BRK);
    expect(sys(w.ctx, SYS.brk, DEFAULT_START_BRK + 3 * K)).toBe(DEFAULT_START_BRK + 3 * K);
    expect(sys(w.ctx, SYS.brk, DEFAULT_START_BRK + K)).toBe(DEFAULT_START_BRK + K);
    expect(w.ctx.mm.mapCount).toBeGreaterThan(1);
  });
});

describe('mlock family and RLIMIT_MEMLOCK', () => {
  it('locks within the limit, ENOMEM past it, EPERM at 0; the limit is the process\'s', () => {
    const w = world();
    const a = sys(w.ctx, SYS.mmap, 0, 4 * K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(sys(w.ctx, SYS.mlock, a, 2 * K)).toBe(0);
    expect(lockedBytes(w.ctx.mm)).toBe(2 * K);
    expect(setLimit(w, RLIMIT.RLIMIT_MEMLOCK, BigInt(3 * K), BigInt(8 * 1024 * 1024))).toBe(0);
    expect(sys(w.ctx, SYS.mlock, a, 4 * K)).toBe(-E.ENOMEM);
    expect(sys(w.ctx, SYS.mlock2, a, K, 2)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.munlockall)).toBe(0);
    expect(sys(w.ctx, SYS.mlockall, MCL.MCL_ONFAULT)).toBe(-E.EINVAL);
    expect(setLimit(w, RLIMIT.RLIMIT_MEMLOCK, 0n, 0n)).toBe(0);
    expect(sys(w.ctx, SYS.mlock, a, K)).toBe(-E.EPERM);
    expect(sys(w.ctx, SYS.mmap, 0, K, PROT.PROT_READ, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_LOCKED, -1, 0)).toBe(-E.EPERM);
    expect(sys(w.ctx, SYS.munlock, a, K)).toBe(0);
  });
});

describe('getrlimit, setrlimit, prlimit64', () => {
  it('reports INIT_RLIMITS, lowers freely, raises a hard limit only with privilege', () => {
    const w = world();
    expect(getLimit(w, RLIMIT.RLIMIT_NOFILE)).toEqual([1024n, 4096n]);
    expect(getLimit(w, RLIMIT.RLIMIT_MEMLOCK)).toEqual([8388608n, 8388608n]);
    expect(getLimit(w, 16)).toBe(-E.EINVAL);
    expect(setLimit(w, RLIMIT.RLIMIT_NOFILE, 5000n, 4096n)).toBe(-E.EINVAL);
    expect(setLimit(w, RLIMIT.RLIMIT_NOFILE, 3n, 4096n)).toBe(0);
    // The fd table follows RLIMIT_NOFILE: three descriptors at most.
    for (let i = 0; i < 3; i++) expect(sys(w.ctx, SYS.open, w.str('/tmp'), 0)).toBe(i);
    expect(sys(w.ctx, SYS.open, w.str('/tmp'), 0)).toBe(-E.EMFILE);
    expect(setLimit(w, RLIMIT.RLIMIT_NOFILE, 3n, 8192n)).toBe(-E.EPERM);
    expect(setLimit(w, RLIMIT.RLIMIT_NOFILE, 3n, 2000n * 1024n)).toBe(-E.EPERM);
    const old = w.alloc(16);
    expect(sys(w.ctx, SYS.prlimit64, 0, RLIMIT.RLIMIT_NOFILE, 0, old)).toBe(0);
    expect(new DataView(w.bytes(old, 16).buffer).getBigUint64(8, true)).toBe(4096n);
    expect(sys(w.ctx, SYS.prlimit64, 4242, RLIMIT.RLIMIT_NOFILE, 0, old)).toBe(-E.ESRCH);
    // A child inherits the limits.
    const child = w.tasks.fork(w.ctx);
    const addr = w.alloc(16);
    expect(sys(w.ctx, SYS.prlimit64, child.pid, RLIMIT.RLIMIT_NOFILE, 0, addr)).toBe(0);
    expect(new DataView(w.bytes(addr, 16).buffer).getBigUint64(0, true)).toBe(3n);
  });
});
