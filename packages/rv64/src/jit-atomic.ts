// JavaScript source for the A extension inside a compiled block: LR, SC and
// the AMOs, with the interpreter's semantics (cpu.ts), so an atomic no
// longer ends a block (every `amoswap` of a lock release or a futex word
// used to cost a return to the dispatcher and one interpreted instruction).
//
// Exactness:
// - A misaligned address bails out before touching anything: the
//   interpreter then re-executes the instruction into its SIGBUS
//   (BUS_ADRALN) fault, as Linux, which does not emulate misaligned atomics.
//   The alignment test is the interpreter's own expression.
// - An AMO takes the inline path only when the page is in both TLB ways
//   (readable and writable, its frame final: no COW break pending);
//   otherwise it makes the interpreter's calls in the interpreter's order
//   (load, then store), so faults, demand paging and COW breaks are the
//   memory's. rd is written after the store, so a fault leaves it untouched.
// - The LR reservation lives in st[2] (the CPU's blockState), the same slot
//   the interpreter uses, so an LR compiled and an SC interpreted (or the
//   reverse) pair as before, and `run` still drops it on every return to
//   the driver (a context switch breaks it, as Linux's trap return does).
// - Atomicity: a block runs to its end on the one JavaScript thread; no
//   other task's store can come between an AMO's load and its store.
import { Amo, Op } from './op.js';

const TWO32 = 4294967296;

/** The bail-out (jit-emit.ts's F/D one): the interpreter takes the instruction at index `at`. */
const BAIL = 'st[0] = n + at - F[bk]; st[1] = at; return -1;';

/** `const a` (the interpreter's address, rs1 with no offset) and the bail-out when it is not `size`-aligned. */
const aligned = (rs1: number, size: number): string =>
  `const a = xh[${rs1}] * ${TWO32} + (xl[${rs1}] >>> 0); if (a % ${size} !== 0) { ${BAIL} }`;

/**
 * `fast` with `d` (the page's DataView) and `i` (the offset) when the read
 * way (and with `write`, the write way too) holds the page of rs1, else
 * `slow` (the memory's methods on `a`). The probe is jit-memory.ts's, for an
 * aligned access (it never crosses the page).
 */
function probe(rs1: number, write: boolean, fast: string, slow: string): string {
  const hit = write ? 'Rt[sl] === pg && Wt[sl] === pg' : 'Rt[sl] === pg';
  return `const lo = xl[${rs1}], hi = xh[${rs1}], pg = (hi << 20) | (lo >>> 12), sl = pg & TM;`
    + ` if ((hi >>> 10) === 0 && ${hit}) { const d = ${write ? 'Wf' : 'Rf'}[sl], i = lo & 4095; ${fast} } else { ${slow} }`;
}

/** The new value (nl, nh) of an AMO from the old one (ol, oh) and rs2's (bl, bh). */
function combine(kind: number): string {
  const pick = (takeB: string): string => `const tb = ${takeB}, nl = tb ? bl : ol, nh = tb ? bh : oh;`;
  switch (kind) {
    case Amo.Swap: return 'const nl = bl, nh = bh;';
    case Amo.Add: return 'const s = (ol >>> 0) + (bl >>> 0), nl = s | 0, nh = (oh + bh + (s > 0xffffffff ? 1 : 0)) | 0;';
    case Amo.Xor: return 'const nl = ol ^ bl, nh = oh ^ bh;';
    case Amo.Or: return 'const nl = ol | bl, nh = oh | bh;';
    case Amo.And: return 'const nl = ol & bl, nh = oh & bh;';
    case Amo.Min: return pick('bh < oh || (bh === oh && (bl >>> 0) < (ol >>> 0))');
    case Amo.Max: return pick('bh > oh || (bh === oh && (bl >>> 0) > (ol >>> 0))');
    case Amo.Minu: return pick('(bh >>> 0) < (oh >>> 0) || (bh === oh && (bl >>> 0) < (ol >>> 0))');
    default: return pick('(bh >>> 0) > (oh >>> 0) || (bh === oh && (bl >>> 0) > (ol >>> 0))');
  }
}

/**
 * The statement for LR/SC/AMO (`w2 & 0xff` is an AMO's funct5), or
 * undefined for any other op. Without a TLB every access is a method call.
 */
export function emitAtomic(op: Op, rd: number, rs1: number, rs2: number, w2: number, mark: string, tlb: boolean): string | undefined {
  const word = op === Op.LrW || op === Op.ScW || op === Op.AmoW;
  const size = word ? 4 : 8;
  const access = (write: boolean, fast: string, slow: string): string => (tlb ? probe(rs1, write, fast, slow) : slow);
  switch (op) {
    case Op.LrW: case Op.LrD: {
      const fast = word ? 'v = d.getInt32(i, true); vh = v >> 31;' : 'v = d.getInt32(i, true); vh = d.getInt32(i + 4, true);';
      const slow = word ? 'v = mem.load32(a); vh = v >> 31;' : 'v = mem.load32(a); vh = mem.load32(a + 4);';
      return `${mark} { ${aligned(rs1, size)} let v, vh; ${access(false, fast, slow)} xh[${rd}] = vh; xl[${rd}] = v; st[2] = a; }`;
    }
    case Op.ScW: case Op.ScD: {
      const fast = word ? `d.setInt32(i, xl[${rs2}], true);` : `d.setInt32(i, xl[${rs2}], true); d.setInt32(i + 4, xh[${rs2}], true);`;
      const slow = word ? `mem.store32(a, xl[${rs2}]);` : `mem.store32(a, xl[${rs2}]); mem.store32(a + 4, xh[${rs2}]);`;
      return `${mark} { ${aligned(rs1, size)} let failed = 1; if (st[2] === a) { ${access(true, fast, slow)} failed = 0; }`
        + ` st[2] = -1; xl[${rd}] = failed; xh[${rd}] = 0; }`;
    }
    case Op.AmoW: case Op.AmoD: {
      const next = combine(w2 & 0xff);
      const operand = word ? `const bl = xl[${rs2}], bh = bl >> 31;` : `const bl = xl[${rs2}], bh = xh[${rs2}];`;
      const fast = word
        ? `ol = d.getInt32(i, true); oh = ol >> 31; { ${next} d.setInt32(i, nl, true); }`
        : `ol = d.getInt32(i, true); oh = d.getInt32(i + 4, true); { ${next} d.setInt32(i, nl, true); d.setInt32(i + 4, nh, true); }`;
      const slow = word
        ? `ol = mem.load32(a); oh = ol >> 31; { ${next} mem.store32(a, nl); }`
        : `ol = mem.load32(a); oh = mem.load32(a + 4); { ${next} mem.store32(a, nl); mem.store32(a + 4, nh); }`;
      return `${mark} { ${aligned(rs1, size)} ${operand} let ol, oh; ${access(true, fast, slow)} xl[${rd}] = ol; xh[${rd}] = oh; }`;
    }
    default: return undefined;
  }
}
