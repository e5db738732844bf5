import { Errno, PROT } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { applyElfLoadPlan, type LoadedElf } from './apply-plan';
import { BINPRM_BUF_SIZE, ET_DYN, ET_EXEC, PF, PT } from './constants';
import { checkElfExec, type CheckedElf } from './elf-check';
import { readBinprmBuf } from './exec-file';
import { RISCV64_SV39_LAYOUT as RV, type ExecLayout } from './layout';
import { planElfLoad, type ElfLoadPlan, type FatalExecError } from './load-plan';
import { bytesFile, cPath, textAndData, writeElf, type ElfSpec, type PhdrSpec } from './testing/elf-writer';
import { FakeExecMemory } from './testing/fake-exec-memory';

const LD = '/lib/ld.so';
const RX = PROT.PROT_READ | PROT.PROT_EXEC;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const MMAP_TOP = 0x3ff7fff000;

function checked(spec: ElfSpec, interp?: ElfSpec): CheckedElf<string> {
  const file = bytesFile(writeElf(spec), 'prog');
  const got = checkElfExec(file, readBinprmBuf(file, BINPRM_BUF_SIZE) as Uint8Array, 243, (path) =>
    path === LD && interp !== undefined ? bytesFile(writeElf(interp), LD) : -Errno.ENOENT);
  if (typeof got === 'number') throw new Error(`check: ${got}`);
  return got;
}

function plan(spec: ElfSpec, interp?: ElfSpec, layout: ExecLayout = RV): ElfLoadPlan<string> {
  const got = planElfLoad(checked(spec, interp), layout);
  if ('kind' in got) throw new Error(`plan: ${got.errno}`);
  return got;
}

function load(spec: ElfSpec, interp?: ElfSpec, memory = new FakeExecMemory()): { loaded: LoadedElf | FatalExecError; memory: FakeExecMemory } {
  return { loaded: applyElfLoadPlan(plan(spec, interp), memory, RV), memory };
}

function loaded(spec: ElfSpec, interp?: ElfSpec, memory = new FakeExecMemory()): { loaded: LoadedElf; memory: FakeExecMemory } {
  const got = load(spec, interp, memory);
  if ('kind' in got.loaded) throw new Error(`load: ${got.loaded.errno}`);
  return { loaded: got.loaded, memory: got.memory };
}

const withInterp = (phdrs: PhdrSpec[]): PhdrSpec[] => [{ type: PT.PT_INTERP, offset: 0x180, filesz: LD.length + 1 }, ...phdrs];
const interpContents = [{ offset: 0x180, bytes: cPath(LD) }];
const ldso: ElfSpec = { type: ET_DYN, entry: 0x100, phdrs: textAndData(0) };

describe('planElfLoad and applyElfLoadPlan (load_elf_binary, elf_load, load_elf_interp)', () => {
  it('maps an ET_EXEC at its addresses: text, data, the partial page zeroed, anonymous bss', () => {
    const { loaded: l, memory } = loaded({ type: ET_EXEC, entry: 0x10078, phdrs: textAndData(0x10000) });
    expect(memory.ops).toEqual([
      { op: 'mapFile', file: 'prog', addr: 0x10000, length: 0x2000, prot: RX, placement: 'fixed-noreplace', offset: 0 },
      { op: 'mapFile', file: 'prog', addr: 0x12000, length: 0x1000, prot: RW, placement: 'fixed', offset: 0x1000 },
      { op: 'zero', addr: 0x12f10, length: 0xf0 },
      { op: 'mapAnonymous', addr: 0x13000, length: 0x3000, exec: false },
    ]);
    expect(l).toEqual({
      entry: 0x10078, programEntry: 0x10078, phdr: 0x10040, phnum: 3, interpreterBase: 0,
      loadBias: 0, startBrk: 0x16000, stackExecutable: false,
    });
  });

  it('loads a PIE with an interpreter at ELF_ET_DYN_BASE and the interpreter where mmap chooses', () => {
    const p = plan({ type: ET_DYN, entry: 0x500, phdrs: withInterp(textAndData(0)), contents: interpContents }, ldso);
    expect(p.program.placement).toEqual({ kind: 'fixed', bias: 0x2aaaaaa000, first: 'fixed-noreplace' });
    expect(p.interpreter?.placement).toEqual({ kind: 'chosen', hint: 0, align: 0 });
    const memory = new FakeExecMemory();
    const l = applyElfLoadPlan(p, memory, RV) as LoadedElf;
    const ldBase = MMAP_TOP - 0x6000;
    expect(memory.ops.filter((o) => o.op === 'mapFile' || o.op === 'unmap')).toEqual([
      { op: 'mapFile', file: 'prog', addr: 0x2aaaaaa000, length: 0x6000, prot: RX, placement: 'fixed-noreplace', offset: 0 },
      { op: 'unmap', addr: 0x2aaaaac000, length: 0x4000 },
      { op: 'mapFile', file: 'prog', addr: 0x2aaaaac000, length: 0x1000, prot: RW, placement: 'fixed', offset: 0x1000 },
      { op: 'mapFile', file: LD, addr: 0, length: 0x6000, prot: RX, placement: 'hint', offset: 0 },
      { op: 'unmap', addr: ldBase + 0x2000, length: 0x4000 },
      { op: 'mapFile', file: LD, addr: ldBase + 0x2000, length: 0x1000, prot: RW, placement: 'fixed', offset: 0x1000 },
    ]);
    expect(l).toEqual({
      entry: ldBase + 0x100, programEntry: 0x2aaaaaa500, phdr: 0x2aaaaaa040, phnum: 4, interpreterBase: ldBase,
      loadBias: 0x2aaaaaa000, startBrk: 0x2aaaab0000, stackExecutable: false,
    });
  });

  it('aligns a PIE down to its largest power-of-two p_align', () => {
    const phdrs = textAndData(0).map((ph) => (ph.type === PT.PT_LOAD ? { ...ph, align: 0x10000 } : ph));
    const p = plan({ type: ET_DYN, phdrs: withInterp([...phdrs, { type: PT.PT_LOAD, flags: PF.PF_R, offset: 0x3000, vaddr: 0x9000, filesz: 8, align: 3 }]), contents: interpContents }, ldso);
    expect(p.program.placement).toEqual({ kind: 'fixed', bias: 0x2aaaaa0000, first: 'fixed-noreplace' });
  });

  it('loads a static PIE where mmap chooses and moves its heap to ELF_ET_DYN_BASE', () => {
    const p = plan({ type: ET_DYN, entry: 0x1e2, phdrs: textAndData(0) });
    expect(p.program.placement).toEqual({ kind: 'chosen', hint: 0, align: 0x1000 });
    expect(p.brk).toEqual({ kind: 'at', addr: 0x2aaaaaaaaa });
    const memory = new FakeExecMemory();
    const l = applyElfLoadPlan(p, memory, RV) as LoadedElf;
    const base = MMAP_TOP - 0x6000;
    expect(memory.ops[0]).toEqual({ op: 'mapFile', file: 'prog', addr: 0, length: 0x6000, prot: RX, placement: 'hint', offset: 0 });
    expect(l).toMatchObject({ entry: base + 0x1e2, programEntry: base + 0x1e2, loadBias: base, phdr: base + 0x40, startBrk: 0x2aaaaab000, interpreterBase: 0 });
    const kept = applyElfLoadPlan(planElfLoad(checked({ type: ET_DYN, phdrs: textAndData(0) }), { ...RV, moveStaticPieBrk: false }) as ElfLoadPlan<string>, new FakeExecMemory(), RV) as LoadedElf;
    expect(kept.startBrk).toBe(base + 0x6000);
  });

  it('maps a static PIE asking for more than a page once to learn the place, then aligned', () => {
    const phdrs = textAndData(0).map((ph) => (ph.type === PT.PT_LOAD ? { ...ph, align: 0x10000 } : ph));
    const { loaded: l, memory } = loaded({ type: ET_DYN, phdrs });
    const probe = MMAP_TOP - 0x6000;
    const base = probe - (probe % 0x10000);
    expect(memory.ops.slice(0, 3)).toEqual([
      { op: 'mapFile', file: 'prog', addr: 0, length: 0x6000, prot: RX, placement: 'hint', offset: 0 },
      { op: 'unmap', addr: probe, length: 0x6000 },
      { op: 'mapFile', file: 'prog', addr: base, length: 0x6000, prot: RX, placement: 'fixed-noreplace', offset: 0 },
    ]);
    expect(l.loadBias).toBe(base);
  });

  it('maps an ET_EXEC interpreter at its own addresses with MAP_FIXED', () => {
    const { loaded: l, memory } = loaded(
      { type: ET_EXEC, entry: 0x10000, phdrs: withInterp(textAndData(0x10000)), contents: interpContents },
      { type: ET_EXEC, entry: 0x200100, phdrs: textAndData(0x200000) });
    expect(memory.ops.filter((o) => o.op === 'mapFile' && o.file === LD).map((o) => o.op === 'mapFile' && [o.addr, o.placement])).toEqual([[0x200000, 'fixed'], [0x202000, 'fixed']]);
    expect(l).toMatchObject({ entry: 0x200100, interpreterBase: 0, programEntry: 0x10000 });
  });

  it('gives a segment without file bytes anonymous pages only, executable when PF_X', () => {
    const { memory } = loaded({ phdrs: [...textAndData(0x10000).slice(0, 1), { type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_W | PF.PF_X, vaddr: 0x20010, memsz: 0x2000 }] });
    expect(memory.ops.at(-1)).toEqual({ op: 'mapAnonymous', addr: 0x20000, length: 0x3000, exec: true });
  });

  it('puts AT_PHDR at the bias when no PT_LOAD maps the header table', () => {
    const { loaded: l } = loaded({ entry: 0x10000, phdrs: [{ type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_X, offset: 0x1000, vaddr: 0x10000, filesz: 0x100 }], size: 0x1100 });
    expect(l.phdr).toBe(0);
  });

  it('takes the stack permission from PT_GNU_STACK, else the layout default', () => {
    const [text, data] = textAndData(0x10000);
    expect(plan({ phdrs: [text!, data!, { type: PT.PT_GNU_STACK, flags: PF.PF_R | PF.PF_W | PF.PF_X }] }).stackExecutable).toBe(true);
    expect(plan({ phdrs: [text!, data!] }).stackExecutable).toBe(false);
    expect(plan({ phdrs: [text!, data!] }, undefined, { ...RV, stackExecutableByDefault: true }).stackExecutable).toBe(true);
  });

  describe('failures past the point of no return', () => {
    const fatalOf = (spec: ElfSpec, interp?: ElfSpec, memory?: FakeExecMemory) => {
      const p = planElfLoad(checked(spec, interp), RV);
      if ('kind' in p) return p.errno;
      const got = applyElfLoadPlan(p, memory ?? new FakeExecMemory(), RV);
      return 'kind' in got ? got.errno : 0;
    };
    const [text, data] = textAndData(0x10000) as [PhdrSpec, PhdrSpec];

    it('EINVAL: an ET_DYN program without PT_LOAD', () => {
      expect(fatalOf({ type: ET_DYN, phdrs: [{ type: PT.PT_GNU_STACK }] })).toBe(-Errno.EINVAL);
    });
    it('EPERM: an interpreter neither ET_EXEC nor ET_DYN (load_elf_interp answers ~0UL)', () => {
      expect(fatalOf({ phdrs: withInterp(textAndData(0x10000)), contents: interpContents }, { type: 1, phdrs: textAndData(0) })).toBe(-Errno.EPERM);
    });
    it('EINVAL: an interpreter without PT_LOAD', () => {
      expect(fatalOf({ phdrs: withInterp(textAndData(0x10000)), contents: interpContents }, { type: ET_DYN, phdrs: [{ type: PT.PT_NOTE }] })).toBe(-Errno.EINVAL);
    });
    it('EINVAL: p_filesz > p_memsz', () => {
      expect(fatalOf({ phdrs: [text, { ...data, filesz: 0x200, memsz: 0x100 }] })).toBe(-Errno.EINVAL);
    });
    it('ENOMEM: a program segment past TASK_SIZE (the mapping fails before the size check)', () => {
      expect(fatalOf({ phdrs: [text, { ...data, vaddr: RV.taskSize + 0xe10 }] })).toBe(-Errno.ENOMEM);
      expect(fatalOf({ phdrs: [text, { ...data, memsz: RV.taskSize }] })).toBe(-Errno.ENOMEM);
    });
    it('ENOMEM: an interpreter segment past TASK_SIZE', () => {
      // The text fits below TASK_SIZE, the data segment after it does not.
      expect(fatalOf({ phdrs: withInterp(textAndData(0x10000)), contents: interpContents }, { type: ET_EXEC, phdrs: textAndData(RV.taskSize - 0x2000) })).toBe(-Errno.ENOMEM);
      const memory = new FakeExecMemory();
      memory.mapFile = (_f, addr) => addr;
      memory.mapAnonymous = () => 0;
      memory.zero = () => 0;
      const past = { type: ET_EXEC, phdrs: [{ type: PT.PT_LOAD, flags: PF.PF_R, offset: 0, vaddr: RV.taskSize, filesz: 0x100 }] };
      expect(fatalOf({ phdrs: withInterp(textAndData(0x10000)), contents: interpContents }, past, memory)).toBe(-Errno.ENOMEM);
      expect(fatalOf(past, undefined, memory)).toBe(-Errno.EINVAL);
    });
    it('EINVAL: p_offset and p_vaddr not congruent modulo the page (mmap offset)', () => {
      expect(fatalOf({ phdrs: [text, { ...data, offset: 0x1e00 }] })).toBe(-Errno.EINVAL);
    });
    it('EEXIST: an ET_EXEC over something already mapped (MAP_FIXED_NOREPLACE)', () => {
      const memory = new FakeExecMemory();
      memory.mapAnonymous(0x11000, 0x1000, false);
      expect(fatalOf({ phdrs: [text, data] }, undefined, memory)).toBe(-Errno.EEXIST);
    });
    it('EINVAL: an entry at or past TASK_SIZE', () => {
      expect(fatalOf({ entry: RV.taskSize, phdrs: [text, data] })).toBe(-Errno.EINVAL);
    });
    it('EFAULT: the bss page cannot be cleared in a writable segment; ignored in a read-only one', () => {
      const memory = new FakeExecMemory();
      memory.zero = () => -Errno.EFAULT;
      expect(fatalOf({ phdrs: [text, data] }, undefined, memory)).toBe(-Errno.EFAULT);
      const ro = new FakeExecMemory();
      ro.zero = () => -Errno.EFAULT;
      expect(fatalOf({ phdrs: [text, { ...data, flags: PF.PF_R }] }, undefined, ro)).toBe(0);
    });
  });
});
