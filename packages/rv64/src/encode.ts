// Encoders for the RV64 base instruction formats (the RISC-V unprivileged
// spec, chapter "RV32I Base Integer Instruction Set", figure of the R/I/S/B/
// U/J formats). The compressed decoder expands each 16-bit instruction into
// its 32-bit equivalent with them, and tests assemble programs with them.

/** R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode. */
export function encodeR(opcode: number, rd: number, funct3: number, rs1: number, rs2: number, funct7: number): number {
  return ((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) | 0;
}

/** I-type: imm[11:0] | rs1 | funct3 | rd | opcode. */
export function encodeI(opcode: number, rd: number, funct3: number, rs1: number, imm: number): number {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) | 0;
}

/** S-type: imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode. */
export function encodeS(opcode: number, funct3: number, rs1: number, rs2: number, imm: number): number {
  return ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((imm & 0x1f) << 7) | opcode) | 0;
}

/** B-type: imm[12|10:5] | rs2 | rs1 | funct3 | imm[4:1|11] | opcode; imm is even. */
export function encodeB(opcode: number, funct3: number, rs1: number, rs2: number, imm: number): number {
  return (
    (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | opcode
  ) | 0;
}

/** U-type: imm[31:12] | rd | opcode; imm is the value of the upper 20 bits already shifted. */
export function encodeU(opcode: number, rd: number, imm: number): number {
  return ((imm & 0xfffff000) | (rd << 7) | opcode) | 0;
}

/** J-type: imm[20|10:1|11|19:12] | rd | opcode; imm is even. */
export function encodeJ(opcode: number, rd: number, imm: number): number {
  return (
    (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | opcode
  ) | 0;
}

/** R4-type (fused multiply-add): rs3 | fmt | rs2 | rs1 | rm | rd | opcode. */
export function encodeR4(opcode: number, rd: number, rm: number, rs1: number, rs2: number, fmt: number, rs3: number): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) | 0;
}
