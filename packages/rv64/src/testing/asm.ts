// A tiny assembler for tests: the instructions the tests use, encoded with
// the package's own format encoders, and a runner over a flat memory.
import { Rv64Cpu, type Rv64CpuOptions } from '../cpu.js';
import { encodeB, encodeI, encodeJ, encodeR, encodeR4, encodeS, encodeU } from '../encode.js';
import type { CpuExit } from '../exit.js';
import { FlatCpuMemory } from '../flat-memory.js';

const OP_IMM = 0x13, OP_IMM_32 = 0x1b, OP = 0x33, OP_32 = 0x3b, LOAD = 0x03, STORE = 0x23, BRANCH = 0x63;
const AMO = 0x2f, OP_FP = 0x53, SYSTEM = 0x73;

export const addi = (rd: number, rs1: number, imm: number): number => encodeI(OP_IMM, rd, 0, rs1, imm);
export const li = (rd: number, imm: number): number => addi(rd, 0, imm);
export const slti = (rd: number, rs1: number, imm: number): number => encodeI(OP_IMM, rd, 2, rs1, imm);
export const sltiu = (rd: number, rs1: number, imm: number): number => encodeI(OP_IMM, rd, 3, rs1, imm);
export const xori = (rd: number, rs1: number, imm: number): number => encodeI(OP_IMM, rd, 4, rs1, imm);
export const slli = (rd: number, rs1: number, sh: number): number => encodeI(OP_IMM, rd, 1, rs1, sh);
export const srli = (rd: number, rs1: number, sh: number): number => encodeI(OP_IMM, rd, 5, rs1, sh);
export const srai = (rd: number, rs1: number, sh: number): number => encodeI(OP_IMM, rd, 5, rs1, sh | 0x400);
export const addiw = (rd: number, rs1: number, imm: number): number => encodeI(OP_IMM_32, rd, 0, rs1, imm);
export const sraiw = (rd: number, rs1: number, sh: number): number => encodeI(OP_IMM_32, rd, 5, rs1, sh | 0x400);
export const lui = (rd: number, imm20: number): number => encodeU(0x37, rd, imm20 << 12);
export const auipc = (rd: number, imm20: number): number => encodeU(0x17, rd, imm20 << 12);
export const jal = (rd: number, offset: number): number => encodeJ(0x6f, rd, offset);
export const jalr = (rd: number, rs1: number, imm: number): number => encodeI(0x67, rd, 0, rs1, imm);

const rOps = {
  add: [OP, 0, 0], sub: [OP, 0, 0x20], sll: [OP, 1, 0], slt: [OP, 2, 0], sltu: [OP, 3, 0], xor: [OP, 4, 0],
  srl: [OP, 5, 0], sra: [OP, 5, 0x20], or: [OP, 6, 0], and: [OP, 7, 0],
  mul: [OP, 0, 1], mulh: [OP, 1, 1], mulhsu: [OP, 2, 1], mulhu: [OP, 3, 1], div: [OP, 4, 1], divu: [OP, 5, 1],
  rem: [OP, 6, 1], remu: [OP, 7, 1],
  addw: [OP_32, 0, 0], subw: [OP_32, 0, 0x20], sllw: [OP_32, 1, 0], srlw: [OP_32, 5, 0], sraw: [OP_32, 5, 0x20],
  mulw: [OP_32, 0, 1], divw: [OP_32, 4, 1], divuw: [OP_32, 5, 1], remw: [OP_32, 6, 1], remuw: [OP_32, 7, 1],
} as const;
export type ROp = keyof typeof rOps;
export const r = (name: ROp, rd: number, rs1: number, rs2: number): number => {
  const [opcode, f3, f7] = rOps[name];
  return encodeR(opcode, rd, f3, rs1, rs2, f7);
};

const loads = { lb: 0, lh: 1, lw: 2, ld: 3, lbu: 4, lhu: 5, lwu: 6 } as const;
export const load = (name: keyof typeof loads, rd: number, rs1: number, imm: number): number => encodeI(LOAD, rd, loads[name], rs1, imm);
const stores = { sb: 0, sh: 1, sw: 2, sd: 3 } as const;
export const store = (name: keyof typeof stores, rs2: number, rs1: number, imm: number): number => encodeS(STORE, stores[name], rs1, rs2, imm);
const branches = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 } as const;
export const branch = (name: keyof typeof branches, rs1: number, rs2: number, offset: number): number =>
  encodeB(BRANCH, branches[name], rs1, rs2, offset);

export const ecall = 0x00000073;
export const ebreak = 0x00100073;
export const fence = 0x0ff0000f;
export const fenceI = 0x0000100f;
export const csrrw = (rd: number, csr: number, rs1: number): number => encodeI(SYSTEM, rd, 1, rs1, csr);
export const csrrs = (rd: number, csr: number, rs1: number): number => encodeI(SYSTEM, rd, 2, rs1, csr);
export const csrrwi = (rd: number, csr: number, uimm: number): number => encodeI(SYSTEM, rd, 5, uimm, csr);

const amos = { add: 0, swap: 1, lr: 2, sc: 3, xor: 4, or: 8, and: 0xc, min: 0x10, max: 0x14, minu: 0x18, maxu: 0x1c } as const;
/** An A-extension instruction: width 'w' or 'd', aq/rl clear. */
export const amo = (name: keyof typeof amos, width: 'w' | 'd', rd: number, rs1: number, rs2: number): number =>
  encodeR(AMO, rd, width === 'w' ? 2 : 3, rs1, rs2, amos[name] << 2);

export const flw = (rd: number, rs1: number, imm: number): number => encodeI(0x07, rd, 2, rs1, imm);
export const fld = (rd: number, rs1: number, imm: number): number => encodeI(0x07, rd, 3, rs1, imm);
export const fsd = (rs2: number, rs1: number, imm: number): number => encodeS(0x27, 3, rs1, rs2, imm);
/** An OP-FP instruction from its funct5, fmt (0 S, 1 D), rm and registers. */
export const fp = (funct5: number, fmt: number, rd: number, rs1: number, rs2: number, rm = 7): number =>
  encodeR(OP_FP, rd, rm, rs1, rs2, (funct5 << 2) | fmt);
export const fmadd = (fmt: number, rd: number, rs1: number, rs2: number, rs3: number, rm = 7): number =>
  encodeR4(0x43, rd, rm, rs1, rs2, fmt, rs3);

export const CODE_BASE = 0x10000;
export const DATA_BASE = 0x20000;

/** Instructions: a number is a 32-bit instruction, { c } a 16-bit one. */
export type Program = readonly (number | { readonly c: number })[];

/**
 * Places a program at CODE_BASE in a 128 KiB flat memory and returns a CPU
 * about to run it. By default every block is compiled on its first entry, so
 * the tests exercise the JIT; jit-differential.test.ts checks it against the
 * interpreter (`{ jit: false }`).
 */
export function machine(program: Program, options: Rv64CpuOptions = { jitThreshold: 1 }): { cpu: Rv64Cpu; memory: FlatCpuMemory } {
  const memory = new FlatCpuMemory(CODE_BASE, 0x20000);
  let at = CODE_BASE;
  for (const insn of program) {
    if (typeof insn === 'number') { memory.store32(at, insn); at += 4; }
    else { memory.store16(at, insn.c); at += 2; }
  }
  const cpu = new Rv64Cpu(memory, { timeSource: () => 12345, ...options });
  cpu.pc = CODE_BASE;
  return { cpu, memory };
}

/** Runs a program (which should end in ebreak) and returns the CPU and its exit. */
export function execute(program: Program, setup?: (cpu: Rv64Cpu, memory: FlatCpuMemory) => void): { cpu: Rv64Cpu; memory: FlatCpuMemory; exit: CpuExit } {
  const m = machine(program);
  setup?.(m.cpu, m.memory);
  const exit = m.cpu.run(1_000_000);
  return { ...m, exit };
}
