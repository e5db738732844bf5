import { MAP, MADV, PROT } from '@tskern/abi';
import { PSS_SHIFT } from '@tskern/mm-api';
import { describe, expect, it } from 'vitest';
import { forkAddressSpace } from './fork';
import { madvise } from './madvise';
import { formatMaps } from './maps';
import type { MemoryLimits } from './memory-limits';
import { mlock } from './mlock';
import { mmap } from './mmap';
import { memoryReport } from './smaps';
import { peek, poke, testMemory } from './test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const SHARED = MAP.MAP_SHARED | MAP.MAP_ANONYMOUS;
const ROOT: MemoryLimits = { memlock: 0, data: Infinity, addressSpace: Infinity, ipcLock: true };

/** The report of the VMA starting at `start`. */
function reportAt(as: Parameters<typeof memoryReport>[0], start: number) {
  const r = memoryReport(as).find((v) => v.start === start);
  if (r === undefined) throw new Error(`no VMA at ${start.toString(16)}`);
  return r;
}

describe('memoryReport (smaps)', () => {
  it('has one report per maps line, headed by that line', () => {
    const { space } = testMemory();
    const as = space();
    mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    mmap(as, 0, 2 * K, PROT.PROT_READ, SHARED, null, 0);
    expect(memoryReport(as).map((r) => `${r.mapsLine}\n`).join('')).toBe(formatMaps(as));
  });

  it('counts written private pages as private dirty anonymous memory, and mlock as Locked', () => {
    // As Linux 6.18's smaps for MAP_PRIVATE|MAP_ANONYMOUS with MAP_LOCKED: Rss = Pss = Private_Dirty = Anonymous = Locked, VmFlags rd wr mr mw me lo ac.
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    expect(mlock(as, a, 4 * K, ROOT)).toBe(0);
    const r = reportAt(as, a);
    expect(r.resident).toBe(4 * K);
    expect(r.pss).toBe(4 * K * 2 ** PSS_SHIFT);
    expect(r.privateDirty).toBe(4 * K);
    expect(r.anonymous).toBe(4 * K);
    expect(r.sharedClean + r.sharedDirty + r.privateClean).toBe(0);
    expect(r.locked).toBe(true);
    expect(r.vmFlags).toEqual(['rd', 'wr', 'mr', 'mw', 'me', 'lo', 'ac']);
  });

  it('splits a page fork shares between the two processes (Shared_Dirty, half the Pss)', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 2 * K, RW, PRIV, null, 0);
    expect(poke(as, a, 'x')).toBe(0);
    const child = forkAddressSpace(as);
    const r = reportAt(as, a);
    expect(r.resident).toBe(K);
    expect(r.sharedDirty).toBe(K);
    expect(r.privateDirty).toBe(0);
    expect(r.pss).toBe((K * 2 ** PSS_SHIFT) / 2);
    expect(r.pssAnon).toBe(r.pss);
    expect(poke(child, a, 'y')).toBe(0); // the child's store copies the page: both are private again
    expect(reportAt(as, a).privateDirty).toBe(K);
    expect(reportAt(child, a).privateDirty).toBe(K);
  });

  it('counts shared anonymous memory as shmem, not anonymous, with VmFlags sh and ms', () => {
    const { space } = testMemory();
    const as = space();
    const s = mmap(as, 0, 2 * K, RW, SHARED, null, 0);
    expect(poke(as, s, 'x')).toBe(0);
    const r = reportAt(as, s);
    expect(r.resident).toBe(K);
    expect(r.anonymous).toBe(0);
    expect(r.pssShmem).toBe(r.pss);
    expect(r.privateDirty).toBe(K);
    expect(r.vmFlags).toEqual(['rd', 'wr', 'sh', 'mr', 'mw', 'me', 'ms']);
  });

  it('does not count pages loaded from never-written private memory (Linux maps its zero page there)', () => {
    // Linux 6.18: PROT_READ anonymous memory mlocked reads Rss 0 and Locked 0; so does a loaded page of an unwritten rw-p mapping.
    const { space } = testMemory();
    const as = space();
    const r = mmap(as, 0, 4 * K, PROT.PROT_READ, PRIV, null, 0);
    expect(mlock(as, r, 4 * K, ROOT)).toBe(0);
    expect(reportAt(as, r)).toMatchObject({ resident: 0, pss: 0, anonymous: 0, locked: true });
    const w = mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    expect(peek(as, w, 1)).toBe('\0');
    expect(reportAt(as, w).resident).toBe(0);
    expect(poke(as, w + K, 'x')).toBe(0);
    expect(reportAt(as, w).privateDirty).toBeGreaterThanOrEqual(K);
  });

  it('names the madvise flags in bit order', () => {
    const { space } = testMemory();
    const as = space();
    const q = mmap(as, 0, 4 * K, PROT.PROT_READ, PRIV, null, 0);
    for (const advice of [MADV.MADV_SEQUENTIAL, MADV.MADV_DONTDUMP, MADV.MADV_WIPEONFORK]) expect(madvise(as, q, 4 * K, advice)).toBe(0);
    // Linux 6.18 prints these for the same calls: rd mr mw me sr wf dd.
    expect(reportAt(as, q).vmFlags).toEqual(['rd', 'mr', 'mw', 'me', 'sr', 'wf', 'dd']);
    const n = mmap(as, 0, 4 * K, PROT.PROT_NONE, PRIV | MAP.MAP_NORESERVE, null, 0);
    expect(reportAt(as, n).vmFlags).toEqual(['mr', 'mw', 'me', 'nr']);
  });
});
