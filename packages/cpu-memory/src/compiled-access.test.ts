import { MAP, PAGE_SIZE, PROT } from '@tskern/abi';
import { forkAddressSpace, mmap, mprotect, munmap, type AddressSpace } from '@tskern/mman';
import { encodeB, encodeI, encodeR, encodeS, encodeU, Rv64Cpu, type CpuExit } from '@tskern/rv64';
import { describe, expect, it } from 'vitest';
import { createCpuMemory, type TlbCpuMemory } from './index';
import { world, type World } from './testing/world';

// The CPU's compiled blocks probe this memory's TLB inline (rv64's
// jit-memory.ts) and call it only on a miss. These tests run code compiled
// at once (jitThreshold 1) against the same code interpreted, and change
// the mappings between two runs, as another thread of the process, a fork
// or another process sharing the file would: the inline path must never
// use a translation the page table has dropped.
const CODE = 0x10000000;
const DATA = 0x10010000;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED;
const ECALL = 0x00000073;

const lw = (rd: number, rs1: number, imm: number) => encodeI(0x03, rd, 2, rs1, imm);
const ld = (rd: number, rs1: number, imm: number) => encodeI(0x03, rd, 3, rs1, imm);
const lhu = (rd: number, rs1: number, imm: number) => encodeI(0x03, rd, 5, rs1, imm);
const sw = (rs2: number, rs1: number, imm: number) => encodeS(0x23, 2, rs1, rs2, imm);
const sd = (rs2: number, rs1: number, imm: number) => encodeS(0x23, 3, rs1, rs2, imm);
const addi = (rd: number, rs1: number, imm: number) => encodeI(0x13, rd, 0, rs1, imm);
const bnez = (rs1: number, offset: number) => encodeB(0x63, 1, rs1, 0, offset);
const lui = (rd: number, value: number) => encodeU(0x37, rd, value);
const exit = [addi(17, 0, 93), ECALL];

/** An address space with `code` at CODE (r-x) and `dataPages` of private anonymous memory at DATA. */
function setUp(w: World, code: number[], dataPages = 2): { as: AddressSpace; memory: TlbCpuMemory } {
  const as = w.space();
  expect(mmap(as, CODE, PAGE_SIZE, RW, ANON, null, 0)).toBe(CODE);
  if (dataPages > 0) expect(mmap(as, DATA, dataPages * PAGE_SIZE, RW, ANON, null, 0)).toBe(DATA);
  const memory = createCpuMemory(as);
  code.forEach((insn, i) => memory.store32(CODE + 4 * i, insn));
  expect(mprotect(as, CODE, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_EXEC)).toBe(0);
  return { as, memory };
}

function cpuOver(memory: TlbCpuMemory, jit: boolean): Rv64Cpu {
  const cpu = new Rv64Cpu(memory, { jit, jitThreshold: 1 });
  memory.watchCode((a, n) => cpu.invalidateCode(a, n));
  cpu.pc = CODE;
  cpu.setRegisterNumber(11, DATA);
  return cpu;
}

const state = (cpu: Rv64Cpu, e: CpuExit) => ({ e, pc: cpu.pc, retired: cpu.retired, regs: [...cpu.xlo, ...cpu.xhi] });

/** A loop of 100 passes: x12 = *(u32 *)DATA + 1, stored back. x5 counts down. */
const counter = [addi(5, 0, 100), lw(12, 11, 0), addi(12, 12, 1), sw(12, 11, 0), addi(5, 5, -1), bnez(5, -16), ...exit];
const LW_PC = CODE + 4, SW_PC = CODE + 12;

describe('compiled loads and stores over TlbCpuMemory', () => {
  it('cross pages, misalign and fault exactly as the interpreter: pc, instret, registers and the bytes a split store left', () => {
    // Pages DATA (rw) and DATA + 4096 (read only after the set-up); x11 = DATA.
    const edge = PAGE_SIZE - 3; // every access below starts 3 bytes before the second page
    const code = [
      addi(6, 0, -1), // x6 = all ones
      lui(13, 0x1000), // x13 = 4096
      addi(13, 13, -3), // x13 = edge
      encodeR(0x33, 14, 0, 11, 13, 0), // x14 = x11 + x13: 3 bytes before the page boundary
      lw(7, 14, 0), // crosses into the read-only page: fine for a load
      lhu(8, 11, 1), // misaligned within the page
      ld(9, 11, 5), // misaligned within the page
      sd(6, 11, 9), // misaligned store within the page
      sd(6, 14, 0), // crosses into the read-only page: 3 bytes written, then SEGV_ACCERR at the boundary
      ...exit,
    ];
    const results = [false, true].map((jit) => {
      const w = world();
      const { as, memory } = setUp(w, code);
      for (let i = 0; i < 16; i++) memory.store8(DATA + i, 0x10 + i);
      for (let i = 0; i < 4; i++) memory.store8(DATA + PAGE_SIZE + i, 0xa0 + i);
      expect(mprotect(as, DATA + PAGE_SIZE, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
      const cpu = cpuOver(memory, jit);
      const e = cpu.run(100);
      const bytes = [...Array(8).keys()].map((i) => memory.load8(DATA + edge + i));
      return { ...state(cpu, e), bytes, jit: cpu.jit };
    });
    const [interpreted, compiled] = results;
    expect(compiled!.jit).toBe(true);
    expect(interpreted!.e).toEqual({ kind: 'fault', pc: CODE + 4 * 8, fault: 'accerr', address: DATA + PAGE_SIZE, access: 'write' });
    expect(interpreted!.bytes).toEqual([0xff, 0xff, 0xff, 0xa0, 0xa1, 0xa2, 0xa3, 0]);
    expect({ ...compiled!, jit: false }).toEqual(interpreted);
  });

  it('fault at the exact instruction when another thread of the process mprotects or munmaps the page between runs', () => {
    for (const change of ['mprotect', 'munmap'] as const) {
      const w = world();
      const { as, memory } = setUp(w, counter);
      const cpu = cpuOver(memory, true);
      // 1 + 10 passes of 5 + 2: stopped after the lw and addi of pass 11, with DATA's slots filled.
      expect(cpu.run(53)).toEqual({ kind: 'budget', pc: SW_PC });
      if (change === 'mprotect') expect(mprotect(as, DATA, PAGE_SIZE, PROT.PROT_READ)).toBe(0);
      else expect(munmap(as, DATA, PAGE_SIZE)).toBe(0);
      const e = cpu.run(1000);
      expect(e).toEqual(change === 'mprotect'
        ? { kind: 'fault', pc: SW_PC, fault: 'accerr', address: DATA, access: 'write' }
        : { kind: 'fault', pc: SW_PC, fault: 'maperr', address: DATA, access: 'write' });
      expect(cpu.retired).toBe(53);
      if (change === 'mprotect') {
        // Reads still work through the read slot; writable again, the loop finishes.
        expect(memory.load32(DATA)).toBe(10);
        expect(mprotect(as, DATA, PAGE_SIZE, RW)).toBe(0);
        expect(cpu.run(1000)).toMatchObject({ kind: 'ecall', number: 93 });
        expect(memory.load32(DATA)).toBe(100);
      }
    }
  });

  it('break copy-on-write after a fork made between runs: the child keeps the value at the fork', () => {
    const w = world();
    const { as, memory } = setUp(w, counter);
    const cpu = cpuOver(memory, true);
    expect(cpu.run(1 + 5 * 40)).toMatchObject({ kind: 'budget' });
    expect(memory.load32(DATA)).toBe(40);
    const child = forkAddressSpace(as);
    // A read fills the read slot with the frame the child shares: the loop's
    // first load hits it, then its store breaks COW (a new frame) and every
    // load after must read the new one, not a copy of the old translation.
    expect(memory.load32(DATA)).toBe(40);
    expect(cpu.run(10_000)).toMatchObject({ kind: 'ecall', number: 93 });
    expect(memory.load32(DATA)).toBe(100);
    expect(createCpuMemory(child).load32(DATA)).toBe(40);
  });

  it('see another process\'s stores to a shared page at once, and SIGBUS once it truncates the file', () => {
    const w = world();
    expect(w.truncate(PAGE_SIZE)).toBe(0);
    const { as, memory } = setUp(w, counter, 0);
    const other = w.space();
    const shared = MAP.MAP_SHARED | MAP.MAP_FIXED;
    expect(mmap(as, DATA, PAGE_SIZE, RW, shared, w.source, 0)).toBe(DATA);
    expect(mmap(other, DATA, PAGE_SIZE, RW, shared, w.source, 0)).toBe(DATA);
    const theirs = createCpuMemory(other);
    const cpu = cpuOver(memory, true);
    expect(cpu.run(1 + 5 * 10)).toMatchObject({ kind: 'budget' });
    expect(theirs.load32(DATA)).toBe(10);
    theirs.store32(DATA, 1000);
    expect(cpu.run(5 * 10)).toMatchObject({ kind: 'budget' });
    expect(theirs.load32(DATA)).toBe(1010);
    expect(w.truncate(0)).toBe(0);
    expect(cpu.run(1000)).toEqual({ kind: 'fault', pc: LW_PC, fault: 'adrerr', address: DATA, access: 'read' });
    expect(cpu.retired).toBe(1 + 5 * 20);
  });
});
