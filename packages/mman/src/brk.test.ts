import { MAP, MCL, PROT, Signal } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { brk, setProgramBreak } from './brk';
import { forkAddressSpace } from './fork';
import { lockedBytes } from './locked-memory';
import { formatMaps } from './maps';
import { UNLIMITED_MEMORY } from './memory-limits';
import { mlockall } from './mlock';
import { mmap } from './mmap';
import { peek, poke, testMemory } from './test-kit';

const K = 4096;
const START = 0x5555_0000_0000;

function heapLines(maps: string): string[] {
  return maps.split('\n').filter((l) => l.endsWith('[heap]'));
}

function setup() {
  const { space } = testMemory();
  const as = space();
  setProgramBreak(as, START - 100);
  return as;
}

describe('brk (mm/mmap.c)', () => {
  it('starts at the page-aligned end of the image and answers the current break for 0', () => {
    const as = setup();
    expect(brk(as, 0)).toBe(START);
    expect(brk(as, START - 1)).toBe(START);
    expect(heapLines(formatMaps(as))).toEqual([]);
  });

  it('grows into one [heap] VMA that extends, and shrinks by unmapping', () => {
    const as = setup();
    expect(brk(as, START + 10_000)).toBe(START + 10_000);
    expect(poke(as, START + 9_999, 'h')).toBe(0);
    // Within the same page: only the break moves.
    expect(brk(as, START + 12_000)).toBe(START + 12_000);
    expect(brk(as, START + 5 * K)).toBe(START + 5 * K);
    const lines = heapLines(formatMaps(as));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${START.toString(16)}-${(START + 5 * K).toString(16)} rw-p`)).toBe(true);
    expect(brk(as, START + 100)).toBe(START + 100);
    expect(peek(as, START + 2 * K, 1)).toBe(Signal.SIGSEGV);
    expect(peek(as, START + 99, 1)).toBe('\0');
    expect(brk(as, START)).toBe(START);
    expect(as.mapCount).toBe(0);
  });

  it('never maps below vm.mmap_min_addr when exec set no break', () => {
    const { space } = testMemory();
    const as = space();
    expect(brk(as, 0)).toBe(0);
    expect(brk(as, 3 * K)).toBe(0);
    expect(as.mapCount).toBe(0);
  });

  it('refuses to come within a page of the next mapping', () => {
    const as = setup();
    expect(mmap(as, START + 4 * K, K, PROT.PROT_READ, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0)).toBe(START + 4 * K);
    expect(brk(as, START + 3 * K + 1)).toBe(START);
    expect(brk(as, START + 3 * K)).toBe(START + 3 * K);
  });

  it('a shrink fails once the heap pages were unmapped, and the break stays', () => {
    const as = setup();
    brk(as, START + 2 * K);
    as.unmap(START, START + 2 * K);
    expect(brk(as, START + K)).toBe(START + 2 * K);
  });

  it('checks RLIMIT_DATA with the data segment', () => {
    const { space } = testMemory();
    const as = space();
    setProgramBreak(as, START, { start: START - 2 * K, end: START - K });
    const limits = { ...UNLIMITED_MEMORY, data: 3 * K };
    expect(brk(as, START + 2 * K + 1, limits)).toBe(START);
    expect(brk(as, START + 2 * K, limits)).toBe(START + 2 * K);
  });

  it('locks and populates the heap after mlockall(MCL_FUTURE), within RLIMIT_MEMLOCK', () => {
    const as = setup();
    const limits = { memlock: 4 * K, data: Infinity, addressSpace: Infinity, ipcLock: false };
    expect(mlockall(as, MCL.MCL_FUTURE, limits)).toBe(0);
    expect(brk(as, START + 2 * K, limits)).toBe(START + 2 * K);
    expect(as.pt.resident).toBe(2);
    expect(lockedBytes(as)).toBe(2 * K);
    expect(brk(as, START + 7 * K, limits)).toBe(START + 2 * K);
  });

  it('fork keeps the break, so the child\'s heap is named and can shrink', () => {
    const as = setup();
    brk(as, START + 3 * K);
    const child = forkAddressSpace(as);
    expect(heapLines(formatMaps(child))).toHaveLength(1);
    expect(brk(child, START + K)).toBe(START + K);
    expect(brk(as, 0)).toBe(START + 3 * K);
  });

  it('names a mapping that merged with the heap [heap] too', () => {
    const as = setup();
    brk(as, START + K);
    mmap(as, START + K, K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0);
    expect(heapLines(formatMaps(as))).toHaveLength(1);
    expect(as.mapCount).toBe(1);
  });
});
