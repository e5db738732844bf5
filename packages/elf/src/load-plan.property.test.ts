import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyElfLoadPlan, type LoadedElf } from './apply-plan';
import { BINPRM_BUF_SIZE, EM_RISCV, ET_DYN, ET_EXEC, PF, PT } from './constants';
import { checkElfExec, type CheckedElf } from './elf-check';
import { readBinprmBuf } from './exec-file';
import { RISCV64_SV39_LAYOUT as RV } from './layout';
import { planElfLoad, type ElfLoadPlan } from './load-plan';
import { bytesFile, writeElf, type PhdrSpec } from './testing/elf-writer';
import { FakeExecMemory } from './testing/fake-exec-memory';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 60);
const PAGE = 4096;

/** Ascending, non-overlapping PT_LOADs with p_offset ≡ p_vaddr (mod page), as linkers emit them. */
const segments = fc.array(
  fc.record({ gapPages: fc.nat(4), inPage: fc.nat(PAGE - 1), filesz: fc.nat(3 * PAGE), bss: fc.nat(3 * PAGE), flags: fc.integer({ min: 1, max: 7 }) }),
  { minLength: 1, maxLength: 5 },
).map((specs) => {
  let vaddr = 0x10000;
  let offset = 0;
  return specs.map((s): PhdrSpec => {
    vaddr = Math.ceil(vaddr / PAGE) * PAGE + s.gapPages * PAGE + s.inPage;
    offset = Math.ceil(offset / PAGE) * PAGE + s.inPage;
    const ph = { type: PT.PT_LOAD, flags: s.flags, offset, vaddr, filesz: s.filesz, memsz: s.filesz + s.bss };
    vaddr += ph.memsz;
    offset += ph.filesz;
    return ph;
  });
});

function checked(type: number, phdrs: PhdrSpec[]): CheckedElf<string> {
  const file = bytesFile(writeElf({ type, entry: (phdrs[0]!.vaddr ?? 0), phdrs }), 'prog');
  return checkElfExec(file, readBinprmBuf(file, BINPRM_BUF_SIZE) as Uint8Array, EM_RISCV, () => -2) as CheckedElf<string>;
}

describe('load plans over any well-formed segments', () => {
  it.each([ET_EXEC, ET_DYN])('e_type %i: every segment byte is mapped, file offsets are pages, the heap is past the image', (type) => {
    fc.assert(fc.property(segments, (phdrs) => {
      const memory = new FakeExecMemory();
      const plan = planElfLoad(checked(type, phdrs), RV);
      if (type === ET_DYN && phdrs[0]!.filesz === 0) {
        // A position-independent image whose first PT_LOAD has no file
        // bytes gets its bss at address 0 (no mapping chose a bias): refused.
        if (!('kind' in plan)) expect(applyElfLoadPlan(plan, memory, RV)).toEqual({ kind: 'fatal', errno: -1 });
        return;
      }
      const span = Math.max(...phdrs.map((ph) => ph.vaddr! + ph.memsz!)) - Math.floor(phdrs[0]!.vaddr! / PAGE) * PAGE;
      if (type === ET_DYN && span === 0) {
        // total_mapping_size 0: load_elf_binary's -EINVAL.
        expect(plan).toEqual({ kind: 'fatal', errno: -22 });
        return;
      }
      const l = applyElfLoadPlan(plan as ElfLoadPlan<string>, memory, RV) as LoadedElf;
      expect('kind' in l).toBe(false);
      for (const ph of phdrs) {
        // An empty PT_LOAD maps nothing (elf_map returns at once for size 0).
        if (ph.memsz === 0) continue;
        const from = Math.floor((l.loadBias + ph.vaddr!) / PAGE);
        const to = Math.ceil((l.loadBias + ph.vaddr! + ph.memsz!) / PAGE);
        for (let p = from; p < to; p++) expect(memory.pages.has(p)).toBe(true);
      }
      for (const op of memory.ops) {
        if (op.op === 'mapFile') expect(op.offset % PAGE).toBe(0);
        // Only the tail of a page holding file bytes is cleared, up to the page end.
        if (op.op === 'zero') expect((op.addr + op.length) % PAGE).toBe(0);
      }
      const end = Math.max(...phdrs.map((ph) => ph.vaddr! + ph.memsz!));
      if (type === ET_EXEC) {
        expect(l.loadBias).toBe(0);
        expect(l.startBrk).toBe(Math.ceil(end / PAGE) * PAGE);
      } else {
        expect(l.loadBias % PAGE).toBe(0);
        expect(l.startBrk).toBe(Math.ceil(RV.etDynBase / PAGE) * PAGE);
      }
      // AT_PHDR: the PT_LOAD whose file bytes hold the table (at offset 64), else the bias.
      const holder = phdrs.find((ph) => ph.offset! <= 64 && 64 < ph.offset! + ph.filesz!);
      expect(l.phdr).toBe(l.loadBias + (holder === undefined ? 0 : holder.vaddr! + 64 - holder.offset!));
    }), { numRuns: runs });
  });

  it('maps nothing executable outside a PF_X segment', () => {
    fc.assert(fc.property(segments, (phdrs) => {
      const memory = new FakeExecMemory();
      applyElfLoadPlan(planElfLoad(checked(ET_EXEC, phdrs), RV) as ElfLoadPlan<string>, memory, RV);
      const xRanges = phdrs.filter((ph) => (ph.flags! & PF.PF_X) !== 0)
        .map((ph) => [Math.floor(ph.vaddr! / PAGE) * PAGE, Math.ceil((ph.vaddr! + ph.memsz!) / PAGE) * PAGE] as const);
      for (const op of memory.ops) {
        const exec = (op.op === 'mapFile' && (op.prot & 4) !== 0) || (op.op === 'mapAnonymous' && op.exec);
        if (exec) expect(xRanges.some(([lo, hi]) => lo <= op.addr && op.addr + op.length <= hi)).toBe(true);
      }
    }), { numRuns: runs });
  });
});
