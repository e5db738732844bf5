import { readFileSync } from 'node:fs';
import { PROT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { applyElfLoadPlan, type LoadedElf } from './apply-plan';
import { BINPRM_BUF_SIZE, EM_RISCV, PT } from './constants';
import { checkElfExec, type CheckedElf } from './elf-check';
import { readBinprmBuf } from './exec-file';
import { RISCV64_SV39_LAYOUT as RV } from './layout';
import { planElfLoad, type ElfLoadPlan } from './load-plan';
import { bytesFile } from './testing/elf-writer';
import { FakeExecMemory } from './testing/fake-exec-memory';

/**
 * `riscv64-linux-gnu-readelf -lW` of the fixtures (fixtures/build.sh builds
 * them from fixtures/tiny.c with Debian's gcc 12), captured once.
 */
const READELF: Record<string, { type: string; entry: number; interp?: string; table: string }> = {
  'tiny-pie': {
    type: 'DYN',
    entry: 0x27a,
    interp: '/lib/ld-linux-riscv64-lp64d.so.1',
    table: `
  PHDR           0x000040 0x0000000000000040 0x0000000000000040 0x0001c0 0x0001c0 R   0x8
  INTERP         0x000200 0x0000000000000200 0x0000000000000200 0x000021 0x000021 R   0x1
  RISCV_ATTRIBUT 0x00102f 0x0000000000000000 0x0000000000000000 0x000053 0x000000 R   0x1
  LOAD           0x000000 0x0000000000000000 0x0000000000000000 0x0002cf 0x0002cf R E 0x1000
  LOAD           0x000f00 0x0000000000001f00 0x0000000000001f00 0x000110 0x002820 RW  0x1000
  DYNAMIC        0x000f00 0x0000000000001f00 0x0000000000001f00 0x000100 0x000100 RW  0x8
  GNU_STACK      0x000000 0x0000000000000000 0x0000000000000000 0x000000 0x000000 RW  0x10
  GNU_RELRO      0x000f00 0x0000000000001f00 0x0000000000001f00 0x000100 0x000100 R   0x1`,
  },
  'tiny-static': {
    type: 'EXEC',
    entry: 0x10120,
    table: `
  RISCV_ATTRIBUT 0x000193 0x0000000000000000 0x0000000000000000 0x000053 0x000000 R   0x1
  LOAD           0x000000 0x0000000000010000 0x0000000000010000 0x00016f 0x00016f R E 0x1000
  LOAD           0x000170 0x0000000000011170 0x0000000000011170 0x000004 0x002718 RW  0x1000
  GNU_STACK      0x000000 0x0000000000000000 0x0000000000000000 0x000000 0x000000 RW  0x10`,
  },
  'tiny-static-pie': {
    type: 'DYN',
    entry: 0x1e2,
    table: `
  RISCV_ATTRIBUT 0x00102f 0x0000000000000000 0x0000000000000000 0x000053 0x000000 R   0x1
  LOAD           0x000000 0x0000000000000000 0x0000000000000000 0x000237 0x000237 R E 0x1000
  LOAD           0x000f00 0x0000000000001f00 0x0000000000001f00 0x000110 0x002820 RW  0x1000
  DYNAMIC        0x000f00 0x0000000000001f00 0x0000000000001f00 0x000100 0x000100 RW  0x8
  GNU_STACK      0x000000 0x0000000000000000 0x0000000000000000 0x000000 0x000000 RW  0x10
  GNU_RELRO      0x000f00 0x0000000000001f00 0x0000000000001f00 0x000100 0x000100 R   0x1`,
  },
};

interface ReadelfLoad { offset: number; vaddr: number; filesz: number; memsz: number; prot: number }

/** The LOAD lines of a readelf table. */
function loads(table: string): ReadelfLoad[] {
  return table.trim().split('\n').map((l) => l.trim()).filter((l) => l.startsWith('LOAD')).map((line) => {
    const [, offset, vaddr, , filesz, memsz] = line.split(/\s+/).map((f) => Number(f));
    const flags = line.slice(line.lastIndexOf('0x', line.length) - 4);
    let prot = 0;
    if (flags.includes('R')) prot |= PROT.PROT_READ;
    if (flags.includes('W')) prot |= PROT.PROT_WRITE;
    if (flags.includes('E')) prot |= PROT.PROT_EXEC;
    return { offset: offset!, vaddr: vaddr!, filesz: filesz!, memsz: memsz!, prot };
  });
}

const LD = '/lib/ld-linux-riscv64-lp64d.so.1';
const fixture = (name: string) => bytesFile(new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url))), name);

/** Check a fixture; tiny-static-pie (an ET_DYN without PT_INTERP, as ld.so is) stands in for the glibc loader. */
function open(name: string): CheckedElf<string> {
  const file = fixture(name);
  const got = checkElfExec(file, readBinprmBuf(file, BINPRM_BUF_SIZE) as Uint8Array, EM_RISCV, (path) => {
    if (path !== LD) throw new Error(`unexpected interpreter ${path}`);
    return fixture('tiny-static-pie');
  });
  if (typeof got === 'number') throw new Error(`${name}: ${got}`);
  return got;
}

describe('real riscv64 binaries from gcc (fixtures/)', () => {
  it.each(Object.keys(READELF))('%s: the plan maps what readelf lists', (name) => {
    const want = READELF[name]!;
    const elf = open(name);
    expect(elf.program.header.type).toBe(want.type === 'EXEC' ? 2 : 3);
    expect(elf.program.header.entry).toBe(want.entry);
    expect(elf.interpreter?.path ?? null).toBe(want.interp ?? null);
    expect(elf.stack).toBe('non-executable');
    const plan = planElfLoad(elf, RV) as ElfLoadPlan<string>;
    expect(plan.program.segments.map((s) => ({ offset: s.fileOffset + (s.vaddr % 4096), vaddr: s.vaddr, filesz: s.filesz, memsz: s.memsz, prot: s.prot })))
      .toEqual(loads(want.table));
    expect(elf.program.phdrs.filter((ph) => ph.type === PT.PT_LOAD)).toHaveLength(2);
  });

  it('tiny-static: at its link addresses, the heap after its bss', () => {
    const memory = new FakeExecMemory();
    const l = applyElfLoadPlan(planElfLoad(open('tiny-static'), RV) as ElfLoadPlan<string>, memory, RV) as LoadedElf;
    const [, data] = loads(READELF['tiny-static']!.table);
    expect(l).toMatchObject({ entry: 0x10120, loadBias: 0, phdr: 0x10040, phnum: 4 });
    expect(l.startBrk).toBe(Math.ceil((data!.vaddr + data!.memsz) / 4096) * 4096);
    expect(memory.ops.map((o) => o.op)).toEqual(['mapFile', 'mapFile', 'zero', 'mapAnonymous']);
  });

  it('tiny-static-pie: where mmap chooses, the heap at ELF_ET_DYN_BASE', () => {
    const memory = new FakeExecMemory();
    const l = applyElfLoadPlan(planElfLoad(open('tiny-static-pie'), RV) as ElfLoadPlan<string>, memory, RV) as LoadedElf;
    expect(l.loadBias % 4096).toBe(0);
    expect(l.entry).toBe(l.loadBias + 0x1e2);
    expect(l.phdr).toBe(l.loadBias + 0x40);
    expect(l.startBrk).toBe(0x2aaaaab000);
  });

  it('tiny-pie: at ELF_ET_DYN_BASE, its loader where mmap chooses, AT_BASE and the entry the loader\'s', () => {
    const memory = new FakeExecMemory();
    const l = applyElfLoadPlan(planElfLoad(open('tiny-pie'), RV) as ElfLoadPlan<string>, memory, RV) as LoadedElf;
    const [, data] = loads(READELF['tiny-pie']!.table);
    const bias = 0x2aaaaaa000;
    // tiny-static-pie spans 0x1f00 + 0x2820 bytes: 5 pages below the fake's mmap top.
    const ldBase = memory.mmapBase - 5 * 4096;
    expect(l).toEqual({
      entry: ldBase + 0x1e2, programEntry: bias + 0x27a, phdr: bias + 0x40, phnum: 8, interpreterBase: ldBase,
      loadBias: bias, startBrk: bias + Math.ceil((data!.vaddr + data!.memsz) / 4096) * 4096, stackExecutable: false,
    });
    expect(memory.ops.filter((o) => o.op === 'mapFile').map((o) => o.op === 'mapFile' && [o.file, o.placement])).toEqual([
      ['tiny-pie', 'fixed-noreplace'], ['tiny-pie', 'fixed'], ['tiny-static-pie', 'hint'], ['tiny-static-pie', 'fixed'],
    ]);
  });
});
