// The C extension: every 16-bit instruction is expanded into the 32-bit
// instruction it stands for (the RISC-V unprivileged spec, "C" chapter,
// RVC instruction listings for RV64), so compressed code decodes to the same
// internal operations. Returns 0 (an illegal encoding) for reserved forms.
import { encodeB, encodeI, encodeJ, encodeR, encodeS, encodeU } from './encode.js';

const LOAD = 0x03, LOAD_FP = 0x07, OP_IMM = 0x13, OP_IMM_32 = 0x1b, STORE = 0x23, STORE_FP = 0x27;
const OP = 0x33, LUI = 0x37, OP_32 = 0x3b, BRANCH = 0x63, JALR = 0x67, JAL = 0x6f;
const EBREAK = 0x00100073;

function bit(h: number, i: number): number {
  return (h >> i) & 1;
}

function signExtend(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

export function expandCompressed(h: number): number {
  const f3 = (h >> 13) & 7;
  const rdp = ((h >> 2) & 7) + 8; // rd' / rs2'
  const rs1p = ((h >> 7) & 7) + 8; // rs1' / rd'
  const rd = (h >> 7) & 31;
  const rs2 = (h >> 2) & 31;
  switch (h & 3) {
    case 0: {
      // offsets of the double-word and word forms
      const offD = (((h >> 10) & 7) << 3) | (((h >> 5) & 3) << 6);
      const offW = (((h >> 10) & 7) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
      switch (f3) {
        case 0: {
          const imm = (((h >> 11) & 3) << 4) | (((h >> 7) & 15) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
          return imm === 0 ? 0 : encodeI(OP_IMM, rdp, 0, 2, imm); // c.addi4spn
        }
        case 1: return encodeI(LOAD_FP, rdp, 3, rs1p, offD); // c.fld
        case 2: return encodeI(LOAD, rdp, 2, rs1p, offW); // c.lw
        case 3: return encodeI(LOAD, rdp, 3, rs1p, offD); // c.ld
        case 5: return encodeS(STORE_FP, 3, rs1p, rdp, offD); // c.fsd
        case 6: return encodeS(STORE, 2, rs1p, rdp, offW); // c.sw
        case 7: return encodeS(STORE, 3, rs1p, rdp, offD); // c.sd
        default: return 0;
      }
    }
    case 1: {
      const imm6 = signExtend((bit(h, 12) << 5) | rs2, 6);
      switch (f3) {
        case 0: return encodeI(OP_IMM, rd, 0, rd, imm6); // c.addi, c.nop
        case 1: return rd === 0 ? 0 : encodeI(OP_IMM_32, rd, 0, rd, imm6); // c.addiw
        case 2: return encodeI(OP_IMM, rd, 0, 0, imm6); // c.li
        case 3: {
          if (rd === 2) {
            const imm = signExtend(
              (bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (((h >> 3) & 3) << 7) | (bit(h, 2) << 5), 10);
            return imm === 0 ? 0 : encodeI(OP_IMM, 2, 0, 2, imm); // c.addi16sp
          }
          return imm6 === 0 ? 0 : encodeU(LUI, rd, imm6 << 12); // c.lui
        }
        case 4: {
          const shamt = (bit(h, 12) << 5) | rs2;
          switch ((h >> 10) & 3) {
            case 0: return encodeI(OP_IMM, rs1p, 5, rs1p, shamt); // c.srli
            case 1: return encodeI(OP_IMM, rs1p, 5, rs1p, shamt | 0x400); // c.srai
            case 2: return encodeI(OP_IMM, rs1p, 7, rs1p, imm6); // c.andi
            default: {
              const k = (h >> 5) & 3;
              if (bit(h, 12) === 0) {
                if (k === 0) return encodeR(OP, rs1p, 0, rs1p, rdp, 0x20); // c.sub
                return encodeR(OP, rs1p, k === 1 ? 4 : k === 2 ? 6 : 7, rs1p, rdp, 0); // c.xor c.or c.and
              }
              if (k === 0) return encodeR(OP_32, rs1p, 0, rs1p, rdp, 0x20); // c.subw
              if (k === 1) return encodeR(OP_32, rs1p, 0, rs1p, rdp, 0); // c.addw
              return 0;
            }
          }
        }
        case 5: {
          const imm = signExtend(
            (bit(h, 12) << 11) | (bit(h, 11) << 4) | (((h >> 9) & 3) << 8) | (bit(h, 8) << 10) | (bit(h, 7) << 6) |
            (bit(h, 6) << 7) | (((h >> 3) & 7) << 1) | (bit(h, 2) << 5), 12);
          return encodeJ(JAL, 0, imm); // c.j
        }
        default: {
          const imm = signExtend(
            (bit(h, 12) << 8) | (((h >> 10) & 3) << 3) | (((h >> 5) & 3) << 6) | (((h >> 3) & 3) << 1) | (bit(h, 2) << 5), 9);
          return encodeB(BRANCH, f3 === 6 ? 0 : 1, rs1p, 0, imm); // c.beqz c.bnez
        }
      }
    }
    case 2: {
      const offD = (bit(h, 12) << 5) | (((h >> 5) & 3) << 3) | (((h >> 2) & 7) << 6);
      const sOffD = (((h >> 10) & 7) << 3) | (((h >> 7) & 7) << 6);
      switch (f3) {
        case 0: return encodeI(OP_IMM, rd, 1, rd, (bit(h, 12) << 5) | rs2); // c.slli
        case 1: return encodeI(LOAD_FP, rd, 3, 2, offD); // c.fldsp
        case 2: {
          const off = (bit(h, 12) << 5) | (((h >> 4) & 7) << 2) | (((h >> 2) & 3) << 6);
          return rd === 0 ? 0 : encodeI(LOAD, rd, 2, 2, off); // c.lwsp
        }
        case 3: return rd === 0 ? 0 : encodeI(LOAD, rd, 3, 2, offD); // c.ldsp
        case 4:
          if (bit(h, 12) === 0) {
            if (rs2 === 0) return rd === 0 ? 0 : encodeI(JALR, 0, 0, rd, 0); // c.jr
            return encodeR(OP, rd, 0, 0, rs2, 0); // c.mv
          }
          if (rs2 === 0) return rd === 0 ? EBREAK : encodeI(JALR, 1, 0, rd, 0); // c.ebreak c.jalr
          return encodeR(OP, rd, 0, rd, rs2, 0); // c.add
        case 5: return encodeS(STORE_FP, 3, 2, rs2, sOffD); // c.fsdsp
        case 6: return encodeS(STORE, 2, 2, rs2, (((h >> 9) & 15) << 2) | (((h >> 7) & 3) << 6)); // c.swsp
        default: return encodeS(STORE, 3, 2, rs2, sOffD); // c.sdsp
      }
    }
    default:
      return 0;
  }
}
