// Decoding of 32-bit instructions into internal operations (the RISC-V
// unprivileged spec's opcode map, RV64G). The result is packed into three
// int32 words that the decode cache stores per instruction:
//   word 0: op | rd << 8 | rs1 << 16 | rs2 << 24
//   word 1: imm (sign-extended; the CSR number for CSR ops, the bits for Illegal)
//   word 2: rs3 (or the AMO funct5) | rm << 8 | length << 16
// An integer destination x0 is replaced by ZERO_SINK so the interpreter
// never tests for it.
import { Op, ZERO_SINK } from './op.js';

/** The three words of the last decoded instruction. */
export const decoded = new Int32Array(3);

function put(op: Op, rd: number, rs1: number, rs2: number, imm: number, rs3 = 0, rm = 0): void {
  decoded[0] = op | (rd << 8) | (rs1 << 16) | (rs2 << 24);
  decoded[1] = imm;
  decoded[2] = rs3 | (rm << 8);
}

function illegal(bits: number): void {
  put(Op.Illegal, 0, 0, 0, bits);
}

const FP_OPS_S: readonly Op[] = [Op.FaddS, Op.FsubS, Op.FmulS, Op.FdivS];
const FP_OPS_D: readonly Op[] = [Op.FaddD, Op.FsubD, Op.FmulD, Op.FdivD];

function decodeFloat(b: number, rd: number, rm: number, rs1: number, rs2: number): void {
  const fmt = (b >>> 25) & 3;
  const f5 = b >>> 27;
  if (fmt > 1) return illegal(b);
  const d = fmt === 1;
  const xd = rd === 0 ? ZERO_SINK : rd;
  switch (f5) {
    case 0x00: case 0x01: case 0x02: case 0x03:
      return put((d ? FP_OPS_D : FP_OPS_S)[f5]!, rd, rs1, rs2, 0, 0, rm);
    case 0x0b:
      return rs2 === 0 ? put(d ? Op.FsqrtD : Op.FsqrtS, rd, rs1, 0, 0, 0, rm) : illegal(b);
    case 0x04:
      if (rm > 2) return illegal(b);
      return put((d ? Op.FsgnjD : Op.FsgnjS) + rm, rd, rs1, rs2, 0);
    case 0x05:
      if (rm > 1) return illegal(b);
      return put((d ? Op.FminD : Op.FminS) + rm, rd, rs1, rs2, 0);
    case 0x08:
      if (d && rs2 === 0) return put(Op.FcvtDS, rd, rs1, 0, 0, 0, rm);
      if (!d && rs2 === 1) return put(Op.FcvtSD, rd, rs1, 0, 0, 0, rm);
      return illegal(b);
    case 0x14:
      if (rm > 2) return illegal(b);
      return put((d ? Op.FleD : Op.FleS) - rm, xd, rs1, rs2, 0);
    case 0x18:
      if (rs2 > 3) return illegal(b);
      return put((d ? Op.FcvtWD : Op.FcvtWS) + rs2, xd, rs1, 0, 0, 0, rm);
    case 0x1a:
      if (rs2 > 3) return illegal(b);
      return put((d ? Op.FcvtDW : Op.FcvtSW) + rs2, rd, rs1, 0, 0, 0, rm);
    case 0x1c:
      if (rs2 !== 0) return illegal(b);
      if (rm === 0) return put(d ? Op.FmvXD : Op.FmvXW, xd, rs1, 0, 0);
      if (rm === 1) return put(d ? Op.FclassD : Op.FclassS, xd, rs1, 0, 0);
      return illegal(b);
    case 0x1e:
      return rs2 === 0 && rm === 0 ? put(d ? Op.FmvDX : Op.FmvWX, rd, rs1, 0, 0) : illegal(b);
    default:
      return illegal(b);
  }
}

/** Decodes a 32-bit instruction into `decoded`. */
export function decode32(b: number): void {
  const opcode = b & 0x7f;
  const rd = (b >> 7) & 31;
  const xd = rd === 0 ? ZERO_SINK : rd;
  const f3 = (b >> 12) & 7;
  const rs1 = (b >> 15) & 31;
  const rs2 = (b >> 20) & 31;
  const f7 = b >>> 25;
  const immI = b >> 20;
  switch (opcode) {
    case 0x37: return put(Op.Lui, xd, 0, 0, b & 0xfffff000);
    case 0x17: return put(Op.Auipc, xd, 0, 0, b & 0xfffff000);
    case 0x6f: {
      const imm = ((b >> 31) << 20) | (((b >> 12) & 0xff) << 12) | (((b >> 20) & 1) << 11) | (((b >> 21) & 0x3ff) << 1);
      return put(Op.Jal, xd, 0, 0, imm);
    }
    case 0x67: return f3 === 0 ? put(Op.Jalr, xd, rs1, 0, immI) : illegal(b);
    case 0x63: {
      if (f3 === 2 || f3 === 3) return illegal(b);
      const imm = ((b >> 31) << 12) | (((b >> 7) & 1) << 11) | (((b >> 25) & 0x3f) << 5) | (((b >> 8) & 15) << 1);
      const op = [Op.Beq, Op.Bne, 0, 0, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu][f3]!;
      return put(op, 0, rs1, rs2, imm);
    }
    case 0x03: {
      if (f3 === 7) return illegal(b);
      return put([Op.Lb, Op.Lh, Op.Lw, Op.Ld, Op.Lbu, Op.Lhu, Op.Lwu][f3]!, xd, rs1, 0, immI);
    }
    case 0x23: {
      if (f3 > 3) return illegal(b);
      const imm = ((b >> 25) << 5) | ((b >> 7) & 31);
      return put([Op.Sb, Op.Sh, Op.Sw, Op.Sd][f3]!, 0, rs1, rs2, imm);
    }
    case 0x13: {
      const shamt = immI & 63;
      switch (f3) {
        case 0: return put(Op.Addi, xd, rs1, 0, immI);
        case 2: return put(Op.Slti, xd, rs1, 0, immI);
        case 3: return put(Op.Sltiu, xd, rs1, 0, immI);
        case 4: return put(Op.Xori, xd, rs1, 0, immI);
        case 6: return put(Op.Ori, xd, rs1, 0, immI);
        case 7: return put(Op.Andi, xd, rs1, 0, immI);
        case 1: return (b >>> 26) === 0 ? put(Op.Slli, xd, rs1, 0, shamt) : illegal(b);
        default:
          if ((b >>> 26) === 0) return put(Op.Srli, xd, rs1, 0, shamt);
          if ((b >>> 26) === 0x10) return put(Op.Srai, xd, rs1, 0, shamt);
          return illegal(b);
      }
    }
    case 0x1b: {
      if (f3 === 0) return put(Op.Addiw, xd, rs1, 0, immI);
      if (f3 === 1 && f7 === 0) return put(Op.Slliw, xd, rs1, 0, rs2);
      if (f3 === 5 && f7 === 0) return put(Op.Srliw, xd, rs1, 0, rs2);
      if (f3 === 5 && f7 === 0x20) return put(Op.Sraiw, xd, rs1, 0, rs2);
      return illegal(b);
    }
    case 0x33: {
      if (f7 === 0) return put([Op.Add, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Or, Op.And][f3]!, xd, rs1, rs2, 0);
      if (f7 === 1) return put([Op.Mul, Op.Mulh, Op.Mulhsu, Op.Mulhu, Op.Div, Op.Divu, Op.Rem, Op.Remu][f3]!, xd, rs1, rs2, 0);
      if (f7 === 0x20 && f3 === 0) return put(Op.Sub, xd, rs1, rs2, 0);
      if (f7 === 0x20 && f3 === 5) return put(Op.Sra, xd, rs1, rs2, 0);
      return illegal(b);
    }
    case 0x3b: {
      if (f7 === 0) {
        if (f3 === 0) return put(Op.Addw, xd, rs1, rs2, 0);
        if (f3 === 1) return put(Op.Sllw, xd, rs1, rs2, 0);
        if (f3 === 5) return put(Op.Srlw, xd, rs1, rs2, 0);
        return illegal(b);
      }
      if (f7 === 0x20) {
        if (f3 === 0) return put(Op.Subw, xd, rs1, rs2, 0);
        if (f3 === 5) return put(Op.Sraw, xd, rs1, rs2, 0);
        return illegal(b);
      }
      if (f7 === 1) {
        const op = [Op.Mulw, 0, 0, 0, Op.Divw, Op.Divuw, Op.Remw, Op.Remuw][f3]!;
        return op === 0 ? illegal(b) : put(op, xd, rs1, rs2, 0);
      }
      return illegal(b);
    }
    case 0x0f:
      if (f3 === 0) return put(Op.Fence, 0, 0, 0, 0);
      if (f3 === 1) return put(Op.FenceI, 0, 0, 0, 0);
      return illegal(b);
    case 0x73: {
      if (f3 === 0) {
        if (b === 0x00000073) return put(Op.Ecall, 0, 0, 0, 0);
        if (b === 0x00100073) return put(Op.Ebreak, 0, 0, 0, 0);
        return illegal(b);
      }
      if (f3 === 4) return illegal(b);
      const op = [0, Op.Csrrw, Op.Csrrs, Op.Csrrc, 0, Op.Csrrwi, Op.Csrrsi, Op.Csrrci][f3]!;
      return put(op, xd, rs1, 0, immI & 0xfff);
    }
    case 0x2f: {
      if (f3 !== 2 && f3 !== 3) return illegal(b);
      const w = f3 === 2;
      const f5 = b >>> 27;
      if (f5 === 0x02) return rs2 === 0 ? put(w ? Op.LrW : Op.LrD, xd, rs1, 0, 0) : illegal(b);
      if (f5 === 0x03) return put(w ? Op.ScW : Op.ScD, xd, rs1, rs2, 0);
      if ((f5 & 3) !== 0 && f5 !== 0x01) return illegal(b);
      if (f5 > 0x1c) return illegal(b);
      return put(w ? Op.AmoW : Op.AmoD, xd, rs1, rs2, 0, f5);
    }
    case 0x07:
      if (f3 === 2) return put(Op.Flw, rd, rs1, 0, immI);
      if (f3 === 3) return put(Op.Fld, rd, rs1, 0, immI);
      return illegal(b);
    case 0x27: {
      const imm = ((b >> 25) << 5) | ((b >> 7) & 31);
      if (f3 === 2) return put(Op.Fsw, 0, rs1, rs2, imm);
      if (f3 === 3) return put(Op.Fsd, 0, rs1, rs2, imm);
      return illegal(b);
    }
    case 0x43: case 0x47: case 0x4b: case 0x4f: {
      const fmt = (b >>> 25) & 3;
      if (fmt > 1) return illegal(b);
      const k = (opcode - 0x43) >> 2;
      return put((fmt === 1 ? Op.FmaddD : Op.FmaddS) + k, rd, rs1, rs2, 0, b >>> 27, f3);
    }
    case 0x53:
      return decodeFloat(b, rd, f3, rs1, rs2);
    default:
      return illegal(b);
  }
}
