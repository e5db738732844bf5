import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import type { Rv64Cpu } from './cpu.js';
import { decode32, decoded } from './decode.js';
import type { CpuExit } from './exit.js';
import type { FlatCpuMemory } from './flat-memory.js';
import { compileBlock } from './jit.js';
import { CODE_BASE, DATA_BASE, addi, amo, csrrs, ebreak, machine, type Program } from './testing/asm.js';

// LR, SC and the AMOs compiled into blocks (jit-atomic.ts) against the
// interpreter: the same exits, registers, instret and memory, on the TLB's
// inline path (a second pass, the page cached) and its slow path (the
// first pass, a read-only page, a fault), and misaligned addresses.
const A0 = 10, READ = 1, WRITE = 2;
const OPS = ['add', 'swap', 'xor', 'or', 'and', 'min', 'max', 'minu', 'maxu'] as const;
const CSR_INSTRET = 0xc02;

function state(cpu: Rv64Cpu, exit: CpuExit): unknown {
  return { exit, pc: cpu.pc, retired: cpu.retired, xlo: [...cpu.xlo.subarray(0, 32)], xhi: [...cpu.xhi.subarray(0, 32)] };
}

/** Runs `program` from the start `passes` times on an interpreter and on compiled blocks; both must agree after each. */
function agree(program: Program, setUp: (cpu: Rv64Cpu, memory: FlatCpuMemory) => void, passes = 2): CpuExit[] {
  const sides = [false, true].map((jit) => {
    const m = machine(program, { jit, jitThreshold: 1 });
    setUp(m.cpu, m.memory);
    return m;
  });
  const exits: CpuExit[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const [a, b] = sides.map(({ cpu }) => {
      cpu.pc = CODE_BASE;
      return state(cpu, cpu.run(100));
    });
    expect(b).toEqual(a);
    exits.push((a as { exit: CpuExit }).exit);
  }
  expect(Buffer.compare(sides[1]!.memory.bytes, sides[0]!.memory.bytes)).toBe(0);
  return exits;
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const edge = fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n);
const value = fc.oneof(u64, edge);

function storeU64(memory: FlatCpuMemory, address: number, v: bigint): void {
  memory.store32(address, Number(BigInt.asIntN(32, v)));
  memory.store32(address + 4, Number(BigInt.asIntN(32, v >> 32n)));
}

describe('compiled atomics', () => {
  it('are part of the block (an AMO, LR or SC no longer ends it)', () => {
    const program = [amo('swap', 'w', 5, A0, 6), amo('lr', 'd', 7, A0, 0), amo('sc', 'd', 8, A0, 7), addi(9, 9, 1), ebreak];
    const { memory } = machine(program);
    const block = compileBlock(CODE_BASE, (pc, out) => {
      decode32(memory.load32(pc));
      out[0] = decoded[0]!; out[1] = decoded[1]!; out[2] = decoded[2]! | (4 << 16);
      return true;
    }, memory.tlb);
    expect(block?.pcs).toEqual([0, 4, 8, 12].map((o) => CODE_BASE + o));
  });

  it('give every AMO the interpreter\'s result, both widths, on the inline and the slow path', () => {
    fc.assert(fc.property(fc.constantFrom(...OPS), fc.constantFrom<'w' | 'd'>('w', 'd'), value, value, value, (op, width, before, b1, b2) => {
      // Two AMOs on the same word, rd = rs2 in the second (rs2 read before rd is written).
      const program = [amo(op, width, 5, A0, 6), amo(op, width, 7, A0, 7), addi(9, 9, 1), ebreak];
      agree(program, (cpu, memory) => {
        cpu.setRegister(A0, BigInt(DATA_BASE + 0x108));
        cpu.setRegister(6, BigInt.asIntN(64, b1));
        cpu.setRegister(7, BigInt.asIntN(64, b2));
        storeU64(memory, DATA_BASE + 0x108, before);
      });
    }), { numRuns: propertyRuns(150) });
  });

  it('fault as the interpreter: misaligned (BUS_ADRALN, nothing written), a read-only page, an unmapped one', () => {
    const program: Program = [addi(9, 9, 1), amo('add', 'w', 5, A0, 6), amo('swap', 'd', 7, A0, 6), amo('lr', 'w', 8, A0, 0), amo('sc', 'd', 11, A0, 6), ebreak];
    const cases: [number, number | null, string][] = [
      [DATA_BASE + 2, null, 'adraln'],
      [DATA_BASE + 4, null, 'adraln'], // aligned for .w, not for .d
      [DATA_BASE + 0x1000, READ, 'accerr'],
      [0x1000, null, 'maperr'],
    ];
    for (const [address, prot, fault] of cases) {
      const exits = agree(program, (cpu, memory) => {
        cpu.setRegister(A0, BigInt(address));
        cpu.setRegister(6, 0x1234n);
        if (prot !== null) memory.protect(DATA_BASE + 0x1000, 0x1000, prot);
      });
      expect(exits[0]).toMatchObject({ kind: 'fault', fault });
    }
    // A word AMO on a readable, not writable page: the load goes, the store faults, rd stays.
    const exits = agree([amo('or', 'w', 5, A0, 6), ebreak], (cpu, memory) => {
      cpu.setRegister(A0, BigInt(DATA_BASE + 0x1000));
      cpu.setRegister(5, 77n);
      memory.protect(DATA_BASE + 0x1000, 0x1000, READ);
    });
    expect(exits[0]).toMatchObject({ kind: 'fault', fault: 'accerr', access: 'write' });
  });

  it('pair LR and SC as the interpreter: across an interpreted CSR read, at another address, after a second SC', () => {
    const pairs: Program[] = [
      [amo('lr', 'w', 5, A0, 0), addi(6, 5, 3), amo('sc', 'w', 7, A0, 6), ebreak],
      [amo('lr', 'd', 5, A0, 0), csrrs(8, CSR_INSTRET, 0), amo('sc', 'd', 7, A0, 8), ebreak],
      [amo('lr', 'd', 5, A0, 0), addi(A0, A0, 8), amo('sc', 'd', 7, A0, 5), ebreak],
      [amo('lr', 'w', 5, A0, 0), amo('sc', 'w', 7, A0, 5), amo('sc', 'w', 8, A0, 0), ebreak],
    ];
    for (const program of pairs) {
      agree(program, (cpu, memory) => {
        cpu.setRegister(A0, BigInt(DATA_BASE + 0x200));
        memory.store32(DATA_BASE + 0x200, -9);
      });
    }
  });

  it('fail an SC whose LR came before a return to the driver (a context switch drops the reservation)', () => {
    const program: Program = [amo('lr', 'w', 5, A0, 0), addi(6, 0, 42), amo('sc', 'w', 7, A0, 6), ebreak];
    for (const jit of [false, true]) {
      const { cpu, memory } = machine(program, { jit, jitThreshold: 1 });
      cpu.setRegister(A0, BigInt(DATA_BASE));
      memory.protect(DATA_BASE, 0x1000, READ | WRITE);
      expect(cpu.run(2).kind).toBe('budget');
      expect(cpu.run(100).kind).toBe('ebreak');
      expect(cpu.getRegister(7)).toBe(1n);
      expect(memory.load32(DATA_BASE)).toBe(0);
      // Uninterrupted, the same pair succeeds.
      cpu.pc = CODE_BASE;
      expect(cpu.run(100).kind).toBe('ebreak');
      expect(cpu.getRegister(7)).toBe(0n);
      expect(memory.load32(DATA_BASE)).toBe(42);
    }
  });
});
