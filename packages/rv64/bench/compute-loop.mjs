// MIPS of the interpreter on a compute loop (loads, stores, adds, a 64-bit
// multiply, shifts, a compressed addi and a branch), over FlatCpuMemory.
// Run with `pnpm --filter @tskern/rv64 bench` (builds dist first).
import { FlatCpuMemory, Rv64Cpu, encodeB, encodeI, encodeR, encodeS, encodeU } from '../dist/index.js';

const BASE = 0x10000, DATA = 0x20000;
const code = [
  encodeU(0x37, 11, DATA), // lui a1, DATA
  encodeI(0x13, 5, 0, 0, 1000), // li t0, 1000
  encodeI(0x13, 10, 0, 0, 1), // li a0, 1
  // loop:
  encodeI(0x03, 12, 3, 11, 0), // ld a2, 0(a1)
  encodeR(0x33, 10, 0, 10, 12, 0), // add a0, a0, a2
  encodeR(0x33, 13, 0, 10, 5, 1), // mul a3, a0, t0
  encodeI(0x13, 14, 5, 13, 7), // srli a4, a3, 7
  encodeR(0x33, 10, 4, 10, 14, 0), // xor a0, a0, a4
  encodeS(0x23, 3, 11, 10, 8), // sd a0, 8(a1)
  encodeI(0x03, 15, 2, 11, 8), // lw a5, 8(a1)
  encodeR(0x3b, 10, 0, 10, 15, 0), // addw a0, a0, a5
  0x12fd, // c.addi t0, -1 (with the next halfword: a 16-bit instruction followed by a 16-bit nop)
  0x0001, // c.nop
  encodeB(0x63, 1, 5, 0, -36), // bnez t0, loop
  encodeI(0x13, 5, 0, 0, 1000), // li t0, 1000
  encodeB(0x63, 0, 0, 0, -44), // j loop (beq x0, x0)
];

const memory = new FlatCpuMemory(BASE, 0x20000);
let at = BASE;
for (const insn of code) {
  if ((insn & 3) !== 3 && insn <= 0xffff) { memory.store16(at, insn); at += 2; } else { memory.store32(at, insn); at += 4; }
}
const cpu = new Rv64Cpu(memory);
cpu.pc = BASE;

function measure(instructions) {
  const start = performance.now();
  const exit = cpu.run(instructions);
  const ms = performance.now() - start;
  if (exit.kind !== 'budget') throw new Error(`unexpected exit ${JSON.stringify(exit)}`);
  return instructions / ms / 1000;
}

measure(5_000_000); // warm up the JIT
const runs = [];
for (let i = 0; i < 5; i++) runs.push(measure(20_000_000));
runs.sort((a, b) => a - b);
console.log(`compute loop: ${runs[2].toFixed(1)} MIPS (median of 5 x 20M instructions; min ${runs[0].toFixed(1)}, max ${runs[4].toFixed(1)})`);
