import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { expandCompressed } from './compressed.js';
import type { Rv64Cpu } from './cpu.js';
import type { CpuExit } from './exit.js';
import type { FlatCpuMemory } from './flat-memory.js';
import { CODE_BASE, DATA_BASE, addi, branch, ebreak, ecall, fenceI, li, load, machine, store, type Program } from './testing/asm.js';

// The block compiler against the interpreter on the same random programs:
// after every run() both CPUs must agree on the exit, pc, instret, every
// register and, at the end, on memory. Registers x10..x12 are bases the
// generator keeps intact: x10 points into data (one read-only page there
// makes stores fault with accerr), x11 at the code (stores through it are
// self-modifying code, always followed by fence.i), x12 at nothing (maperr).
const DATA_PTR = DATA_BASE + 0x1000, UNMAPPED = 0x1000;
const READ = 1, WRITE = 2;
const OPCODES = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73];
const MEMORY_OPCODES = new Set([0x03, 0x07, 0x23, 0x27, 0x2f]);
const NO_RD = new Set([0x23, 0x27, 0x63, 0x0f]);

/** Whether a 32-bit instruction keeps the base registers and only touches memory through x10 or x12. */
function keepsBases(bits: number): boolean {
  const opcode = bits & 0x7f, rd = (bits >> 7) & 31, rs1 = (bits >> 15) & 31;
  if (!NO_RD.has(opcode) && rd >= 10 && rd <= 12) return false;
  return !MEMORY_OPCODES.has(opcode) || rs1 === 10 || rs1 === 12;
}

type Item = { readonly word: number } | { readonly half: number } | { readonly patch: number; readonly size: 'sw' | 'sd'; readonly src: number };

const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...OPCODES), fc.integer({ min: 0, max: 0x1ffffff })).map(([op, rest]) => ({ word: ((rest << 7) | op) | 0 })) },
  // Branches and jumps within a few instructions, both ways (loops).
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu') , fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: -12, max: 12 }))
    .map(([name, a, b, k]) => ({ word: branch(name, a, b, k * 4 === 0 ? 8 : k * 4) })) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: -40, max: 40 })).map(([rd, rs, imm]) => ({ word: addi(rd, rs, imm) })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 0xffff }).filter((h) => (h & 3) !== 3).map((half) => ({ half })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom<'sw' | 'sd'>('sw', 'sd'), fc.integer({ min: 0, max: 9 })).map(([slot, size, src]) => ({ patch: slot * 2, size, src })) },
);

/** Lays the items out at CODE_BASE; a store into the code is followed by fence.i and never rewrites that fence.i. */
function assemble(items: readonly Item[]): Program {
  const program: (number | { c: number })[] = [];
  let at = CODE_BASE;
  for (const it of items) {
    if ('word' in it) {
      program.push(keepsBases(it.word) ? it.word : li(1, 7));
      at += 4;
    } else if ('half' in it) {
      const expanded = expandCompressed(it.half);
      program.push(expanded !== 0 && keepsBases(expanded) ? { c: it.half } : { c: 0x0001 });
      at += 2;
    } else {
      const fenceAt = at + 4;
      const width = it.size === 'sw' ? 4 : 8;
      let target = CODE_BASE + it.patch;
      if (target < fenceAt + 4 && target + width > fenceAt) target = fenceAt + 4;
      program.push(store(it.size, it.src, 11, target - CODE_BASE), fenceI);
      at += 8;
    }
  }
  program.push(ebreak);
  return program;
}

function setUp(program: Program, regs: readonly bigint[], jit: boolean, threshold: number): { cpu: Rv64Cpu; memory: FlatCpuMemory } {
  const m = machine(program, { jit, jitThreshold: threshold });
  regs.forEach((v, i) => m.cpu.setRegister(i + 1, v));
  m.cpu.setRegister(10, BigInt(DATA_PTR));
  m.cpu.setRegister(11, BigInt(CODE_BASE));
  m.cpu.setRegister(12, BigInt(UNMAPPED));
  // Data is not executable (a jump there faults instead of running data that
  // plain stores change without fence.i); one page of it is read-only.
  m.memory.protect(DATA_BASE, 0x10000, READ | WRITE);
  m.memory.protect(DATA_PTR, 0x1000, READ);
  return m;
}

function state(cpu: Rv64Cpu, exit: CpuExit): unknown {
  return { exit, pc: cpu.pc, retired: cpu.retired, xlo: [...cpu.xlo.subarray(0, 32)], xhi: [...cpu.xhi.subarray(0, 32)], f: [...cpu.fpr.i32], fflags: cpu.fpr.fflags, frm: cpu.fpr.frm };
}

describe('compiled blocks', () => {
  it('behave exactly as the interpreter on random programs (faults mid-block, branches, compressed and self-modifying code)', () => {
    const reg = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.bigInt({ min: -3n, max: 3n }));
    fc.assert(fc.property(
      fc.array(item, { minLength: 1, maxLength: 48 }), fc.array(reg, { minLength: 9, maxLength: 9 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3 }),
      (items, regs, budgets, threshold) => {
        const program = assemble(items);
        const a = setUp(program, regs, false, threshold);
        const b = setUp(program, regs, true, threshold);
        for (const budget of budgets) {
          const ea = a.cpu.run(budget);
          const eb = b.cpu.run(budget);
          expect(state(b.cpu, eb)).toEqual(state(a.cpu, ea));
          if (ea.kind !== 'budget' && ea.kind !== 'ecall') break;
        }
        expect(Buffer.compare(b.memory.bytes, a.memory.bytes)).toBe(0);
      },
    ), { numRuns: propertyRuns(200) });
  });

  it('exit for a hot ecall entry with the pc, count and registers of the interpreter', () => {
    // A loop whose branch target is an ecall: once hot, the entry is a
    // region of the ecall alone, which exits for the call without interpreting it.
    const program: Program = [li(5, 0), li(6, 40), li(17, 64), ecall, addi(5, 5, 1), branch('bne', 5, 6, -8), ebreak];
    const [a, b] = [false, true].map((jit) => machine(program, { jit, jitThreshold: 2 }).cpu);
    for (let i = 0; i < 41; i++) {
      const ea = a!.run(1000);
      const eb = b!.run(1000);
      expect(state(b!, eb)).toEqual(state(a!, ea));
      expect(ea.kind).toBe(i < 40 ? 'ecall' : 'ebreak');
      if (ea.kind === 'ecall') expect(ea).toEqual({ kind: 'ecall', number: 64, pc: CODE_BASE + 12 });
    }
  });

  it('exit for an ecall inside a compiled block with the interpreter\'s pc, count and registers, at every budget', () => {
    // A loop whose body makes a call mid-block: the region ends in the ecall and exits from inside.
    const program: Program = [li(5, 0), li(6, 30), addi(7, 7, 3), li(17, 64), ecall, addi(5, 5, 1), branch('bne', 5, 6, -16), ebreak];
    for (const budget of [1, 2, 3, 4, 5, 7, 1000]) {
      const [a, b] = [false, true].map((jit) => machine(program, { jit, jitThreshold: 1 }).cpu);
      let calls = 0;
      for (let i = 0; i < 400; i++) {
        const ea = a!.run(budget);
        const eb = b!.run(budget);
        expect(state(b!, eb)).toEqual(state(a!, ea));
        if (ea.kind === 'ecall') calls++;
        if (ea.kind === 'ebreak') break;
      }
      expect(calls).toBe(30);
      expect(a!.getRegister(7)).toBe(90n);
    }
  });

  it('fault on an address whose low 32 bits name a cached page but whose high word is not 0, as the interpreter', () => {
    // The inline probe forms the page number from the address's two words;
    // a high word of 2^10 or more (or a negative address) must go to the
    // memory's methods and fault there, never alias the slot of the page its
    // low bits name (2^12 << 20 wraps to 0 in int32 arithmetic).
    const program: Program = [load('ld', 5, 10, 8), load('lw', 6, 10, -8), store('sw', 6, 10, 16), addi(7, 7, 1), ebreak];
    for (const hi of [1n, 0x3ffn, 0x400n, 0x1000n, 0x100000n, -1n, -0x1000n]) {
      const address = ((hi << 32n) + BigInt(DATA_BASE + 0x100)) & ((1n << 64n) - 1n);
      const states = [false, true].map((jit) => {
        const { cpu } = machine(program, { jit, jitThreshold: 1 });
        // The page is in the TLB: a first pass with the low address only.
        cpu.setRegister(10, BigInt(DATA_BASE + 0x100));
        expect(cpu.run(100).kind).toBe('ebreak');
        cpu.pc = CODE_BASE;
        cpu.setRegister(10, address);
        const exit = cpu.run(100);
        return state(cpu, exit);
      });
      expect(states[1]).toEqual(states[0]);
      expect((states[1] as { exit: CpuExit }).exit.kind).toBe('fault');
    }
  });

  it('see code the program rewrites once it executes fence.i', () => {
    // A loop of three passes; the first pass patches "addi x5, x5, 1" into
    // "addi x5, x5, 100" and executes fence.i, so passes two and three add 100.
    const patched = addi(5, 5, 100);
    const program: Program = [
      li(6, 3),
      addi(5, 5, 1), // CODE_BASE + 4: the instruction that gets rewritten
      store('sw', 8, 11, 4), fenceI,
      addi(6, 6, -1), branch('bne', 6, 0, -16),
      ebreak,
    ];
    for (const jit of [false, true]) {
      const { cpu } = machine(program, { jit, jitThreshold: 1 });
      cpu.setRegister(11, BigInt(CODE_BASE));
      cpu.setRegister(8, BigInt(patched));
      expect(cpu.run(1000).kind).toBe('ebreak');
      expect(cpu.getRegister(5)).toBe(201n);
    }
  });

  it('drop compiled blocks when the driver invalidates their code', () => {
    const program: Program = [li(6, 50), addi(5, 5, 1), addi(6, 6, -1), branch('bne', 6, 0, -8), ebreak];
    const { cpu, memory } = machine(program, { jitThreshold: 1 });
    expect(cpu.run(1000).kind).toBe('ebreak');
    expect(cpu.getRegister(5)).toBe(50n);
    memory.store32(CODE_BASE + 4, addi(5, 5, 3));
    cpu.invalidateCode(CODE_BASE + 4, 4);
    cpu.pc = CODE_BASE;
    expect(cpu.run(1000).kind).toBe('ebreak');
    expect(cpu.getRegister(5)).toBe(200n);
  });

  it('return a jump target below zero as a pc, not as a bail-out', () => {
    // mv x1, x9; jal x9, -0xb1f34 (a target below address 0: a fetch fault next).
    for (const jit of [false, true]) {
      const { cpu } = machine([addi(1, 9, 0), 0x8cc4e4ef | 0, ebreak], { jit, jitThreshold: 1 });
      expect(cpu.run(2)).toEqual({ kind: 'budget', pc: CODE_BASE + 4 - 0xb1f34 });
      expect(cpu.getRegister(1)).toBe(0n);
      expect(cpu.run(1)).toMatchObject({ kind: 'fault', access: 'execute' });
    }
  });

  it('stop a compiled loop exactly at the budget and resume it', () => {
    const program: Program = [li(6, 1000), addi(5, 5, 1), addi(6, 6, -1), branch('bne', 6, 0, -8), ebreak];
    const { cpu } = machine(program, { jitThreshold: 1 });
    let budgets = 0;
    for (;;) {
      const exit = cpu.run(7);
      budgets++;
      if (exit.kind !== 'budget') break;
      expect(cpu.retired).toBe(budgets * 7);
    }
    expect(cpu.retired).toBe(1 + 3000); // li and 1000 passes of 3; the ebreak does not retire
    expect(cpu.getRegister(5)).toBe(1000n);
  });
});
