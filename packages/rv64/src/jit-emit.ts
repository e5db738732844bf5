// JavaScript source for one decoded instruction inside a compiled block: the
// interpreter's semantics (cpu.ts) with the register numbers, immediates and
// pc folded in as literals. Registers stay in the xl/xh Int32Arrays, so a
// memory fault or a bail-out leaves them exactly as the interpreter would.
// Loads and stores come from jit-memory.ts.
import { emitAtomic } from './jit-atomic.js';
import { emitMemory } from './jit-memory.js';
import { Op } from './op.js';

const TWO32 = 4294967296;

/** The generated block's helper names (bound once per block by jit.ts). */
export const HELPERS = ['mul64', 'mulh64', 'mulhsu64', 'mulhu64', 'divrem64', 'divremu64', 'executeFloat', 't'] as const;

const L = (r: number): string => `xl[${r}]`;
const H = (r: number): string => `xh[${r}]`;
const setW = (rd: number, v: string): string => `{ const v = ${v}; xl[${rd}] = v; xh[${rd}] = v >> 31; }`;

/**
 * The statement(s) for a straight-line instruction, or undefined when the
 * instruction ends a block (control transfer) or is left to the interpreter
 * (system, CSR, fence.i, illegal). `mark` records the
 * instruction's index before anything that can throw or bail out.
 */
export function emitStraight(op: Op, rd: number, rs1: number, rs2: number, imm: number, w2: number, pc: number, mark: string, tlb: boolean): string | undefined {
  const access = emitMemory(op, rd, rs1, rs2, imm, mark, tlb);
  if (access !== undefined) return access;
  const atomic = emitAtomic(op, rd, rs1, rs2, w2, mark, tlb);
  if (atomic !== undefined) return atomic;
  switch (op) {
    case Op.Addi:
      // In int32 arithmetic: the low word carries out when it wraps below the operand.
      return `{ const a = xl[${rs1}], s = (a + ${imm}) | 0; xh[${rd}] = xh[${rs1}] + ${imm >> 31} + ((s >>> 0) < (a >>> 0) ? 1 : 0); xl[${rd}] = s; }`;
    case Op.Add:
      return `{ const s = (xl[${rs1}] >>> 0) + (xl[${rs2}] >>> 0); xh[${rd}] = xh[${rs1}] + xh[${rs2}] + (s > 0xffffffff ? 1 : 0); xl[${rd}] = s; }`;
    case Op.Sub:
      return `{ const a = xl[${rs1}], b = xl[${rs2}]; xh[${rd}] = xh[${rs1}] - xh[${rs2}] - ((a >>> 0) < (b >>> 0) ? 1 : 0); xl[${rd}] = a - b; }`;
    case Op.Addiw: return setW(rd, `(xl[${rs1}] + ${imm}) | 0`);
    case Op.Addw: return setW(rd, `(xl[${rs1}] + xl[${rs2}]) | 0`);
    case Op.Subw: return setW(rd, `(xl[${rs1}] - xl[${rs2}]) | 0`);
    case Op.Lui: return `xl[${rd}] = ${imm}; xh[${rd}] = ${imm >> 31};`;
    case Op.Auipc: {
      const v = pc + imm;
      return `xl[${rd}] = ${v | 0}; xh[${rd}] = ${Math.floor(v / TWO32) | 0};`;
    }
    case Op.Slti: case Op.Slt: case Op.Sltiu: case Op.Sltu: {
      const unsigned = op === Op.Sltiu || op === Op.Sltu;
      const immediate = op === Op.Slti || op === Op.Sltiu;
      const bl = immediate ? `${imm}` : L(rs2);
      const u = unsigned ? ' >>> 0' : '';
      const bh = immediate ? `${unsigned ? (imm >> 31) >>> 0 : imm >> 31}` : `(${H(rs2)}${u})`;
      return `{ const ah = xh[${rs1}]${u}, bh = ${bh}; xl[${rd}] = ah < bh || (ah === bh && (xl[${rs1}] >>> 0) < (${bl} >>> 0)) ? 1 : 0; xh[${rd}] = 0; }`;
    }
    case Op.Xori: return `xl[${rd}] = xl[${rs1}] ^ ${imm}; xh[${rd}] = xh[${rs1}] ^ ${imm >> 31};`;
    case Op.Ori: return `xl[${rd}] = xl[${rs1}] | ${imm}; xh[${rd}] = xh[${rs1}] | ${imm >> 31};`;
    case Op.Andi: return `xl[${rd}] = xl[${rs1}] & ${imm}; xh[${rd}] = xh[${rs1}] & ${imm >> 31};`;
    case Op.Xor: return `xl[${rd}] = xl[${rs1}] ^ xl[${rs2}]; xh[${rd}] = xh[${rs1}] ^ xh[${rs2}];`;
    case Op.Or: return `xl[${rd}] = xl[${rs1}] | xl[${rs2}]; xh[${rd}] = xh[${rs1}] | xh[${rs2}];`;
    case Op.And: return `xl[${rd}] = xl[${rs1}] & xl[${rs2}]; xh[${rd}] = xh[${rs1}] & xh[${rs2}];`;
    case Op.Slli: return shiftLeft(rd, rs1, imm);
    case Op.Srli: return shiftRight(rd, rs1, imm, false);
    case Op.Srai: return shiftRight(rd, rs1, imm, true);
    case Op.Sll: case Op.Srl: case Op.Sra: {
      // A variable shift: one branch per amount class, as the interpreter.
      const cases = [];
      for (const [cond, sh] of [['sh === 0', 0], ['sh < 32', 1], ['true', 32]] as const) {
        cases.push(`if (${cond}) { ${variableShift(op, rd, sh)} }`);
      }
      return `{ const sh = xl[${rs2}] & 63, lo = xl[${rs1}], hi = xh[${rs1}]; ${cases.join(' else ')} }`;
    }
    case Op.Slliw: return setW(rd, `xl[${rs1}] << ${imm}`);
    case Op.Srliw: return setW(rd, `(xl[${rs1}] >>> ${imm}) | 0`);
    case Op.Sraiw: return setW(rd, `xl[${rs1}] >> ${imm}`);
    case Op.Sllw: return setW(rd, `xl[${rs1}] << (xl[${rs2}] & 31)`);
    case Op.Srlw: return setW(rd, `(xl[${rs1}] >>> (xl[${rs2}] & 31)) | 0`);
    case Op.Sraw: return setW(rd, `xl[${rs1}] >> (xl[${rs2}] & 31)`);
    case Op.Mul:
      // mul64 inlined (V8 does not inline its mulhu32 call): low word by
      // Math.imul, high word from 16-bit partial products plus the cross terms.
      return `{ const a = xl[${rs1}], b = xl[${rs2}], al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;`
        + ' const lh = al * bh, hl = ah * bl, mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);'
        + ' const carry = ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16);'
        + ` xh[${rd}] = (carry + Math.imul(a, xh[${rs2}]) + Math.imul(xh[${rs1}], b)) | 0; xl[${rd}] = Math.imul(a, b); }`;
    case Op.Mulh: return wide('mulh64', rd, rs1, rs2, '');
    case Op.Mulhsu: return wide('mulhsu64', rd, rs1, rs2, '');
    case Op.Mulhu: return wide('mulhu64', rd, rs1, rs2, '');
    case Op.Div: return wide('divrem64', rd, rs1, rs2, 'false, ');
    case Op.Rem: return wide('divrem64', rd, rs1, rs2, 'true, ');
    case Op.Divu: return wide('divremu64', rd, rs1, rs2, 'false, ');
    case Op.Remu: return wide('divremu64', rd, rs1, rs2, 'true, ');
    case Op.Mulw: return setW(rd, `Math.imul(xl[${rs1}], xl[${rs2}])`);
    case Op.Divw:
      return `{ const a = xl[${rs1}], b = xl[${rs2}]; ${setW(rd, 'b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0')} }`;
    case Op.Divuw:
      return `{ const a = xl[${rs1}] >>> 0, b = xl[${rs2}] >>> 0; ${setW(rd, 'b === 0 ? -1 : Math.floor(a / b) | 0')} }`;
    case Op.Remw:
      return `{ const a = xl[${rs1}], b = xl[${rs2}]; ${setW(rd, 'b === 0 ? a : b === -1 ? 0 : a % b | 0')} }`;
    case Op.Remuw:
      return `{ const a = xl[${rs1}] >>> 0, b = xl[${rs2}] >>> 0; ${setW(rd, 'b === 0 ? a | 0 : (a % b) | 0')} }`;
    case Op.Fence: return '';
    default:
      if (op < Op.FaddS) return undefined;
      // F/D: the interpreter's own routine; false (an invalid dynamic rounding
      // mode) bails out so the interpreter re-executes it into an illegal exit.
      return `${mark} if (!executeFloat(fpr, xl, xh, ${op}, ${rd}, ${rs1}, ${rs2}, ${w2 & 0xff}, ${(w2 >> 8) & 7})) { st[0] = n + at - F[bk]; st[1] = at; return -1; }`;
  }
}

function wide(fn: string, rd: number, rs1: number, rs2: number, flag: string): string {
  const args = `xl[${rs1}], xh[${rs1}], xl[${rs2}], xh[${rs2}]`;
  const call = flag === '' ? `${fn}(${args}, t)` : `${fn}(${args}, ${flag}t)`;
  return `${call}; xl[${rd}] = t[0]; xh[${rd}] = t[1];`;
}

function shiftLeft(rd: number, rs1: number, sh: number): string {
  if (sh === 0) return `xl[${rd}] = xl[${rs1}]; xh[${rd}] = xh[${rs1}];`;
  if (sh < 32) return `{ const lo = xl[${rs1}]; xh[${rd}] = (xh[${rs1}] << ${sh}) | (lo >>> ${32 - sh}); xl[${rd}] = lo << ${sh}; }`;
  return `xh[${rd}] = xl[${rs1}] << ${sh - 32}; xl[${rd}] = 0;`;
}

function shiftRight(rd: number, rs1: number, sh: number, arith: boolean): string {
  const hs = arith ? '>>' : '>>>';
  if (sh === 0) return `xl[${rd}] = xl[${rs1}]; xh[${rd}] = xh[${rs1}];`;
  if (sh < 32) return `{ const hi = xh[${rs1}]; xl[${rd}] = (xl[${rs1}] >>> ${sh}) | (hi << ${32 - sh}); xh[${rd}] = hi ${hs} ${sh}; }`;
  return `{ const hi = xh[${rs1}]; xl[${rd}] = hi ${hs} ${sh - 32}; xh[${rd}] = ${arith ? 'hi >> 31' : '0'}; }`;
}

/** One amount class (0, 1..31, 32..63) of SLL/SRL/SRA with sh, lo, hi in scope. */
function variableShift(op: Op, rd: number, cls: number): string {
  if (cls === 0) return `xl[${rd}] = lo; xh[${rd}] = hi;`;
  if (op === Op.Sll) {
    return cls === 1 ? `xh[${rd}] = (hi << sh) | (lo >>> (32 - sh)); xl[${rd}] = lo << sh;` : `xh[${rd}] = lo << (sh - 32); xl[${rd}] = 0;`;
  }
  const hs = op === Op.Sra ? '>>' : '>>>';
  if (cls === 1) return `xl[${rd}] = (lo >>> sh) | (hi << (32 - sh)); xh[${rd}] = hi ${hs} sh;`;
  return `xl[${rd}] = hi ${hs} (sh - 32); xh[${rd}] = ${op === Op.Sra ? 'hi >> 31' : '0'};`;
}

/** The JavaScript condition under which a conditional branch is taken. */
export function branchCondition(op: Op, rs1: number, rs2: number): string | undefined {
  const lt = (u: string): string =>
    `((xh[${rs1}]${u}) < (xh[${rs2}]${u}) || (xh[${rs1}] === xh[${rs2}] && (xl[${rs1}] >>> 0) < (xl[${rs2}] >>> 0)))`;
  switch (op) {
    case Op.Beq: return `xl[${rs1}] === xl[${rs2}] && xh[${rs1}] === xh[${rs2}]`;
    case Op.Bne: return `xl[${rs1}] !== xl[${rs2}] || xh[${rs1}] !== xh[${rs2}]`;
    case Op.Blt: return lt('');
    case Op.Bge: return `!${lt('')}`;
    case Op.Bltu: return lt(' >>> 0');
    case Op.Bgeu: return `!${lt(' >>> 0')}`;
    default: return undefined;
  }
}
