// The interpreter's internal operations: what a decoded instruction does,
// independent of its encoding (a compressed instruction decodes to the same
// operation as its 32-bit equivalent). A const enum, so a bundler inlines the
// numbers and the interpreter's switch compiles to a jump table.
export const enum Op {
  Undecoded = 0, Illegal,
  Lui, Auipc, Jal, Jalr, Beq, Bne, Blt, Bge, Bltu, Bgeu,
  Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu, Sb, Sh, Sw, Sd,
  Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
  Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
  Addiw, Slliw, Srliw, Sraiw, Addw, Subw, Sllw, Srlw, Sraw,
  Fence, FenceI, Ecall, Ebreak,
  Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
  Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu, Mulw, Divw, Divuw, Remw, Remuw,
  LrW, ScW, LrD, ScD, AmoW, AmoD,
  Flw, Fld, Fsw, Fsd,
  // Everything from here on is executed by executeFloat.
  FaddS, FsubS, FmulS, FdivS, FsqrtS, FsgnjS, FsgnjnS, FsgnjxS, FminS, FmaxS,
  FeqS, FltS, FleS, FclassS, FmvXW, FmvWX, FcvtWS, FcvtWuS, FcvtLS, FcvtLuS, FcvtSW, FcvtSWu, FcvtSL, FcvtSLu,
  FmaddS, FmsubS, FnmsubS, FnmaddS,
  FaddD, FsubD, FmulD, FdivD, FsqrtD, FsgnjD, FsgnjnD, FsgnjxD, FminD, FmaxD,
  FeqD, FltD, FleD, FclassD, FmvXD, FmvDX, FcvtWD, FcvtWuD, FcvtLD, FcvtLuD, FcvtDW, FcvtDWu, FcvtDL, FcvtDLu,
  FmaddD, FmsubD, FnmsubD, FnmaddD,
  FcvtSD, FcvtDS,
}

/** The register index integer results go to when rd is x0: writes there are discarded. */
export const ZERO_SINK = 32;

/** The AMO operations, as the funct5 field of an AMO instruction. */
export const enum Amo {
  Add = 0x00, Swap = 0x01, Xor = 0x04, Or = 0x08, And = 0x0c, Min = 0x10, Max = 0x14, Minu = 0x18, Maxu = 0x1c,
}
