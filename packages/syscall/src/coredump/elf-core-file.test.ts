import { describe, expect, it } from 'vitest';
import { coreHeaders, EM, writeElfCore, type CoreSegment } from './elf-core-file';
import { NT, type ElfNote } from './elf-note';

const PAGE = 4096;
const note: ElfNote = { name: 'CORE', type: NT.NT_PRPSINFO, desc: new Uint8Array(136) };

function segment(start: number, pages: number, dumped: number, fill: (page: number) => number | null): CoreSegment {
  return {
    start, end: start + pages * PAGE, prot: 3, dumpSize: dumped * PAGE,
    page: (addr) => {
      const b = fill((addr - start) / PAGE);
      return b === null ? null : new Uint8Array(PAGE).fill(b);
    },
  };
}

/** A file made of sparse writes, as the sink sees them. */
function memorySink(limit = Infinity) {
  const file = new Uint8Array(1 << 20);
  let size = 0;
  return {
    file: () => file.subarray(0, size),
    write: (offset: number, bytes: Uint8Array) => {
      if (offset + bytes.length > limit) return false;
      file.set(bytes, offset);
      size = Math.max(size, offset + bytes.length);
      return true;
    },
  };
}

describe('writeElfCore (elf_core_dump)', () => {
  it('writes ET_CORE with PT_NOTE first, then one PT_LOAD per mapping at page-aligned offsets', () => {
    const segs = [segment(0x10000, 2, 2, (p) => 0x41 + p), segment(0x20000, 3, 0, () => 1)];
    const { head, dataOffset } = coreHeaders(EM.EM_RISCV, [note], segs, PAGE);
    const v = new DataView(head.buffer);
    expect([v.getUint16(16, true), v.getUint16(18, true), v.getUint16(56, true)]).toEqual([4, 243, 3]);
    expect(v.getUint32(64, true)).toBe(4); // PT_NOTE
    expect(Number(v.getBigUint64(64 + 8, true))).toBe(64 + 3 * 56);
    expect(Number(v.getBigUint64(64 + 32, true))).toBe(12 + 8 + 136);
    expect(dataOffset).toBe(PAGE);
    const load = (i: number) => [0, 8, 16, 32, 40].map((o) => Number(v.getBigUint64(64 + 56 * i + o, true)));
    expect(v.getUint32(64 + 56, true)).toBe(1); // PT_LOAD
    expect(load(1).slice(1)).toEqual([PAGE, 0x10000, 2 * PAGE, 2 * PAGE]);
    expect(load(2).slice(1)).toEqual([3 * PAGE, 0x20000, 0, 3 * PAGE]);
    const sink = memorySink();
    expect(writeElfCore(sink, EM.EM_RISCV, [note], segs, PAGE)).toBe(true);
    expect([...sink.file().subarray(PAGE, PAGE + 1), ...sink.file().subarray(2 * PAGE, 2 * PAGE + 1)]).toEqual([0x41, 0x42]);
    expect(sink.file().length).toBe(3 * PAGE);
  });

  it('leaves holes for pages with nothing to dump and still ends the file at the last segment', () => {
    const segs = [segment(0x10000, 4, 4, (p) => (p === 1 ? 7 : null))];
    const sink = memorySink();
    expect(writeElfCore(sink, EM.EM_X86_64, [note], segs, PAGE)).toBe(true);
    const file = sink.file();
    expect(file.length).toBe(PAGE + 4 * PAGE);
    expect(file[2 * PAGE]).toBe(7);
    expect(file[PAGE]).toBe(0);
  });

  it('stops at the size limit (RLIMIT_CORE) and reports the dump as not written', () => {
    const segs = [segment(0x10000, 4, 4, () => 9)];
    const sink = memorySink(3 * PAGE);
    expect(writeElfCore(sink, EM.EM_RISCV, [note], segs, PAGE)).toBe(false);
    expect(sink.file().length).toBe(3 * PAGE);
  });
});
