// JavaScript source for the loads and stores of a compiled block. Without a
// TLB (CpuMemory.tlb) every access is a method call on the memory. With one,
// the block probes it inline: the page's slot in the read (or write) way,
// and on a hit within the page a DataView access with no call at all; a
// miss, an access crossing the end of the page, or a fault takes the same
// method call as before, so faults, page crossing (byte by byte) and
// demand paging keep the memory's semantics exactly. The way's arrays are
// the memory's own (read from mem.tlb on each call), so a slot the memory drops
// (munmap, mprotect, a COW break, in this task or any sharer) is dropped
// for the block too, before its next access.
import { Op } from './op.js';

const TWO32 = 4294967296;
const PAGE = 4096;

// The block's prologue binds TM (the mask) and Rt/Rf, Wt/Wf (int32 page
// tag and the frame's 4 KiB DataView, of the read and write ways) from
// mem.tlb (jit.ts).

/** The effective address rs1 + imm as a number, as the interpreter computes it (the slow path's). */
const addr = (rs1: number, imm: number): string => `(xh[${rs1}] * ${TWO32} + (xl[${rs1}] >>> 0) + ${imm})`;

/**
 * `fast` with `d` (the DataView) and `i` (the byte offset of the access)
 * when the way holds the page of rs1 + imm and `size` bytes fit in it, else
 * `const a = address;` and `slow` (the memory's methods, on a).
 *
 * The probe is integer arithmetic only: the address's low word `lo` and high
 * word `hi` as the 64-bit add computes them (the carry as ADDI's), the page
 * number `(hi << 20) | (lo >>> 12)` for an address below 2^42 (hi below
 * 2^10, checked first: anything else, a negative address included, takes the
 * slow path), compared with the way's int32 tag, which never holds such a
 * page (memory.ts). No double, no Math.floor, no division.
 */
function probe(way: 'R' | 'W', rs1: number, imm: number, size: number, fast: string, slow: string): string {
  const words = imm === 0
    ? `const lo = xl[${rs1}], hi = xh[${rs1}];`
    : `const b = xl[${rs1}], lo = (b + ${imm}) | 0, hi = xh[${rs1}] + ${imm >> 31} + ((lo >>> 0) < (b >>> 0) ? 1 : 0);`;
  return `${words} const pg = (hi << 20) | (lo >>> 12), sl = pg & TM, o = lo & ${PAGE - 1};`
    + ` if ((hi >>> 10) === 0 && ${way}t[sl] === pg && o <= ${PAGE - size}) { const d = ${way}f[sl], i = o; ${fast} }`
    + ` else { const a = ${addr(rs1, imm)}; ${slow} }`;
}

/** A load into v (and vh for 8 bytes), then `use`. */
function load(rs1: number, imm: number, size: number, fast: string, slow: string, use: string, tlb: boolean): string {
  const decl = size === 8 ? 'let v, vh;' : 'let v;';
  if (!tlb) return `{ const a = ${addr(rs1, imm)}; ${decl} ${slow} ${use} }`;
  return `{ ${decl} ${probe('R', rs1, imm, size, fast, slow)} ${use} }`;
}

function store(rs1: number, imm: number, size: number, fast: string, slow: string, tlb: boolean): string {
  if (!tlb) return `{ const a = ${addr(rs1, imm)}; ${slow} }`;
  return `{ ${probe('W', rs1, imm, size, fast, slow)} }`;
}

const setW = (rd: number): string => `xl[${rd}] = v; xh[${rd}] = v >> 31;`;
const setU = (rd: number): string => `xl[${rd}] = v; xh[${rd}] = 0;`;

/**
 * The statement for a load or store (integer or F/D), or undefined for any
 * other op. `mark` (the instruction's index, for a precise fault) comes
 * first: only the slow path can throw, and the register written is written
 * after the access, so a fault leaves it untouched.
 */
export function emitMemory(op: Op, rd: number, rs1: number, rs2: number, imm: number, mark: string, tlb: boolean): string | undefined {
  let body: string;
  switch (op) {
    case Op.Lb: body = load(rs1, imm, 1, 'v = d.getInt8(i);', 'v = (mem.load8(a) << 24) >> 24;', setW(rd), tlb); break;
    case Op.Lbu: body = load(rs1, imm, 1, 'v = d.getUint8(i);', 'v = mem.load8(a);', setU(rd), tlb); break;
    case Op.Lh: body = load(rs1, imm, 2, 'v = d.getInt16(i, true);', 'v = (mem.load16(a) << 16) >> 16;', setW(rd), tlb); break;
    case Op.Lhu: body = load(rs1, imm, 2, 'v = d.getUint16(i, true);', 'v = mem.load16(a);', setU(rd), tlb); break;
    case Op.Lw: body = load(rs1, imm, 4, 'v = d.getInt32(i, true);', 'v = mem.load32(a);', setW(rd), tlb); break;
    case Op.Lwu: body = load(rs1, imm, 4, 'v = d.getInt32(i, true);', 'v = mem.load32(a);', setU(rd), tlb); break;
    case Op.Ld:
      body = load(rs1, imm, 8, 'v = d.getInt32(i, true); vh = d.getInt32(i + 4, true);',
        'v = mem.load32(a); vh = mem.load32(a + 4);', `xh[${rd}] = vh; xl[${rd}] = v;`, tlb);
      break;
    case Op.Flw:
      body = load(rs1, imm, 4, 'v = d.getInt32(i, true);', 'v = mem.load32(a);', `fpr.i32[${rd * 2}] = v; fpr.i32[${rd * 2 + 1}] = -1; fpr.dirty = true;`, tlb);
      break;
    case Op.Fld:
      body = load(rs1, imm, 8, 'v = d.getInt32(i, true); vh = d.getInt32(i + 4, true);',
        'v = mem.load32(a); vh = mem.load32(a + 4);', `fpr.i32[${rd * 2 + 1}] = vh; fpr.i32[${rd * 2}] = v; fpr.dirty = true;`, tlb);
      break;
    case Op.Sb: body = store(rs1, imm, 1, `d.setUint8(i, xl[${rs2}] & 0xff);`, `mem.store8(a, xl[${rs2}] & 0xff);`, tlb); break;
    case Op.Sh: body = store(rs1, imm, 2, `d.setUint16(i, xl[${rs2}] & 0xffff, true);`, `mem.store16(a, xl[${rs2}] & 0xffff);`, tlb); break;
    case Op.Sw: body = store(rs1, imm, 4, `d.setInt32(i, xl[${rs2}], true);`, `mem.store32(a, xl[${rs2}]);`, tlb); break;
    case Op.Sd:
      // The slow path stores the low word first: a store crossing into a
      // failing page leaves the bytes before it written, as Linux's emulation.
      body = store(rs1, imm, 8, `d.setInt32(i, xl[${rs2}], true); d.setInt32(i + 4, xh[${rs2}], true);`,
        `mem.store32(a, xl[${rs2}]); mem.store32(a + 4, xh[${rs2}]);`, tlb);
      break;
    case Op.Fsw: body = store(rs1, imm, 4, `d.setInt32(i, fpr.i32[${rs2 * 2}], true);`, `mem.store32(a, fpr.i32[${rs2 * 2}]);`, tlb); break;
    case Op.Fsd:
      body = store(rs1, imm, 8, `d.setInt32(i, fpr.i32[${rs2 * 2}], true); d.setInt32(i + 4, fpr.i32[${rs2 * 2 + 1}], true);`,
        `mem.store32(a, fpr.i32[${rs2 * 2}]); mem.store32(a + 4, fpr.i32[${rs2 * 2 + 1}]);`, tlb);
      break;
    default: return undefined;
  }
  return `${mark} ${body}`;
}
