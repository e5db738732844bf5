import { describe, expect, it } from 'vitest';
import { DUMP_FILTER, vmaDumpSize, type DumpedMapping } from './dump-size';

const PAGE = 4096;
const anon: DumpedMapping = {
  length: 4 * PAGE, dontDump: false, shared: false, fileBacked: false, unlinked: false, written: true,
  readable: true, atObjectStart: true, startsWithElf: () => false,
};
const DEFAULT = 0x33;

describe('vmaDumpSize (fs/coredump.c vma_dump_size)', () => {
  it('dumps written private anonymous memory whole, and nothing under MADV_DONTDUMP', () => {
    expect(vmaDumpSize(anon, DEFAULT, PAGE)).toBe(4 * PAGE);
    expect(vmaDumpSize({ ...anon, dontDump: true }, DEFAULT, PAGE)).toBe(0);
    expect(vmaDumpSize(anon, DEFAULT & ~DUMP_FILTER.ANON_PRIVATE, PAGE)).toBe(0);
  });

  it('skips private anonymous memory never written (no anon_vma)', () => {
    expect(vmaDumpSize({ ...anon, written: false }, DEFAULT, PAGE)).toBe(0);
  });

  it('takes shared mappings by the anonymous-shared or mapped-shared bit', () => {
    const shm = { ...anon, shared: true, fileBacked: true, unlinked: true, written: false };
    expect(vmaDumpSize(shm, DEFAULT, PAGE)).toBe(4 * PAGE);
    expect(vmaDumpSize({ ...shm, unlinked: false }, DEFAULT, PAGE)).toBe(0);
    expect(vmaDumpSize({ ...shm, unlinked: false }, DEFAULT | DUMP_FILTER.MAPPED_SHARED, PAGE)).toBe(4 * PAGE);
  });

  it('writes only the ELF header page of an untouched private file mapping by default', () => {
    const text = { ...anon, fileBacked: true, written: false, startsWithElf: () => true };
    expect(vmaDumpSize(text, DEFAULT, PAGE)).toBe(PAGE);
    expect(vmaDumpSize({ ...text, atObjectStart: false }, DEFAULT, PAGE)).toBe(0);
    expect(vmaDumpSize({ ...text, readable: false }, DEFAULT, PAGE)).toBe(0);
    expect(vmaDumpSize({ ...text, startsWithElf: () => false }, DEFAULT, PAGE)).toBe(0);
    expect(vmaDumpSize(text, DEFAULT | DUMP_FILTER.MAPPED_PRIVATE, PAGE)).toBe(4 * PAGE);
  });
});
