// The block compiler. A block is a run of decoded instructions from one
// entry pc up to a control transfer (or something left to the interpreter,
// or the end of the 4 KiB page). A hot entry compiles to one JavaScript
// function (built with `new Function`) holding its region: the entry's
// block and every block reachable from it by direct branches and jumps
// within the same page, as the cases of a switch in a loop. A jump from one
// block of the region to another is an assignment and a `continue`, so a
// loop, however many blocks its body has, runs with its registers in
// JavaScript locals and without returning to the dispatcher; only a jump
// out of the region (or an indirect one: jalr), an instruction left to the
// interpreter, or the end of the budget returns (the next pc).
//
// Exactness: before each block the function checks the block fits in what
// is left of the budget, so it never retires more than `budget`
// instructions; it writes the instructions it retired to st[0] on every way
// out. Before every instruction that can throw (a memory access) or bail
// out (an F/D op with an invalid rounding mode) it records the
// instruction's index in the region (`at`), so a fault or bail-out leaves
// st[0] the instructions retired before that one and st[1] its index in
// `pcs`: the run loop puts pc and instret exactly where the interpreter would.
import { Op } from './op.js';
import { branchCondition, emitStraight, HELPERS } from './jit-emit.js';
import { executeFloat } from './float.js';
import { divrem64, divremu64, mul64, mulh64, mulhsu64, mulhu64 } from './int64.js';
import type { CpuMemory, CpuTlb } from './memory.js';
import type { FloatRegisters } from './float-registers.js';

const PAGE = 4096;
const TWO32 = 4294967296;
/** Longest block (instructions): long enough to amortise dispatch, short enough to compile fast. */
const MAX_BLOCK = 64;
/** Most instructions in one region: bounds the compile time of one entry. */
const MAX_REGION = 1024;

export type BlockFunction = (
  xl: Int32Array, xh: Int32Array, mem: CpuMemory, st: Float64Array, fpr: FloatRegisters, budget: number,
) => number;

export interface CompiledBlock {
  readonly run: BlockFunction;
  /** The pc of each instruction of the region, for a fault or bail-out at index st[1]. */
  readonly pcs: readonly number[];
}

/** Reads the decode-cache words of the instruction at pc into out; false when it cannot be fetched. */
export type DecodedReader = (pc: number, out: Int32Array) => boolean;

let functionsAllowed: boolean | undefined;

/**
 * Whether this realm lets code build functions from strings: a page whose
 * Content-Security-Policy lacks 'unsafe-eval' makes `new Function` throw
 * EvalError, and the CPU then stays an interpreter.
 */
export function canCompile(): boolean {
  if (functionsAllowed === undefined) {
    try {
      functionsAllowed = (new Function('return 1') as () => number)() === 1;
    } catch {
      functionsAllowed = false;
    }
  }
  return functionsAllowed;
}

const helperValues = (): unknown[] => [mul64, mulh64, mulhsu64, mulhu64, divrem64, divremu64, executeFloat, new Int32Array(2)];

/** How a block ends: the pcs it may go to next (`jump` fills in each as a region case or a return). */
interface BlockEnd {
  /** Static successors (branch target, fall-through, jal target). */
  readonly targets: readonly number[];
  /** The source of the way out, given how to go to a static successor. */
  readonly emit: (jump: (pc: number) => string) => string;
}

interface ScannedBlock {
  readonly pcs: number[];
  readonly body: string[];
  readonly end: BlockEnd;
  readonly usesRegisterArrays: boolean;
}

/** Scans the block at `start` (instruction indices from `first` for the marks); null when its first instruction is left to the interpreter. */
function scanBlock(start: number, first: number, read: DecodedReader, tlb: boolean): ScannedBlock | null {
  const words = new Int32Array(3);
  const pageEnd = start - (start % PAGE) + PAGE;
  const pcs: number[] = [];
  const body: string[] = [];
  let pc = start;
  let end: BlockEnd | undefined;
  /** F/D operations run through executeFloat, which reads and writes the register arrays. */
  let usesRegisterArrays = false;
  while (pcs.length < MAX_BLOCK) {
    if (!read(pc, words)) break;
    const w0 = words[0]!, imm = words[1]!, w2 = words[2]!;
    const next = pc + (w2 >>> 16);
    if (next > pageEnd) break;
    const op = (w0 & 0xff) as Op, rd = (w0 >> 8) & 0xff, rs1 = (w0 >> 16) & 0xff, rs2 = w0 >>> 24;
    const mark = `at = ${first + pcs.length};`;
    if (op >= Op.FaddS) usesRegisterArrays = true;
    const straight = emitStraight(op, rd, rs1, rs2, imm, w2, pc, mark, tlb);
    if (straight !== undefined) {
      pcs.push(pc);
      body.push(straight);
      pc = next;
      continue;
    }
    const cond = branchCondition(op, rs1, rs2);
    if (cond !== undefined) {
      pcs.push(pc);
      const target = pc + imm;
      end = { targets: [target, next], emit: (jump) => `if (${cond}) { ${jump(target)} } ${jump(next)}` };
    } else if (op === Op.Jal) {
      pcs.push(pc);
      const target = pc + imm;
      body.push(`xl[${rd}] = ${next | 0}; xh[${rd}] = ${Math.floor(next / TWO32) | 0};`);
      end = { targets: [target], emit: (jump) => jump(target) };
    } else if (op === Op.Ecall) {
      // The call ends the region from inside it: -3 (odd, never a pc) and
      // st[1] its index say "ecall at pcs[st[1]], retired" to the dispatch
      // loop, which exits for it as the interpreter does, without looking
      // the ecall's pc up as a block entry first.
      pcs.push(pc);
      const count = pcs.length, index = first + count - 1;
      end = { targets: [], emit: () => `{ n += ${count}; st[0] = n; st[1] = ${index}; return -3; }` };
    } else if (op === Op.Jalr) {
      pcs.push(pc);
      const count = pcs.length;
      end = {
        targets: [],
        emit: () => `{ const a = xl[${rs1}]; const target = xh[${rs1}] * ${TWO32} + (a >>> 0) + ${imm} - ((a + ${imm}) & 1);`
          + ` xl[${rd}] = ${next | 0}; xh[${rd}] = ${Math.floor(next / TWO32) | 0}; n += ${count}; st[0] = n; return target; }`,
      };
    }
    // Anything else (ebreak, CSR, fence.i, illegal) ends the block before it.
    break;
  }
  if (pcs.length === 0) return null;
  return { pcs, body, end: end ?? { targets: [pc], emit: (jump) => jump(pc) }, usesRegisterArrays };
}

/**
 * Compiles the region entered at `start`, or returns null when its first
 * instruction is left to the interpreter. With `tlb` (the memory's own), its
 * loads and stores probe it inline (jit-memory.ts).
 */
export function compileBlock(start: number, read: DecodedReader, tlb?: CpuTlb): CompiledBlock | null {
  const page = Math.floor(start / PAGE);
  const ids = new Map<number, number>();
  const blocks: ScannedBlock[] = [];
  const firsts: number[] = [];
  const pcs: number[] = [];
  const queue = [start];
  // Breadth first from the entry, so the blocks nearest it make the region when it is cut short.
  while (queue.length > 0 && pcs.length < MAX_REGION) {
    const pc = queue.shift()!;
    if (ids.has(pc) || Math.floor(pc / PAGE) !== page) continue;
    const block = scanBlock(pc, pcs.length, read, tlb !== undefined);
    if (block === null) {
      if (pc === start) return null;
      continue;
    }
    ids.set(pc, blocks.length);
    blocks.push(block);
    firsts.push(pcs.length);
    pcs.push(...block.pcs);
    for (const target of block.end.targets) if (!ids.has(target)) queue.push(target);
  }
  const cases = blocks.map((block, id) => {
    const count = block.pcs.length;
    // A successor in the region is the next case; any other pc is a way out.
    const jump = (pc: number): string => {
      const to = ids.get(pc);
      return to === undefined ? `{ n += ${count}; st[0] = n; return ${pc}; }` : `{ n += ${count}; bk = ${to}; continue; }`;
    };
    return `case ${id}: { if (n + ${count} > budget) { st[0] = n; return ${block.pcs[0]}; }\n${block.body.join('\n')}\n${block.end.emit(jump)} }`;
  });
  let source = `for (;;) { switch (bk) {\n${cases.join('\n')}\n} }`;
  let enter = '', leave = '';
  if (!blocks.some((b) => b.usesRegisterArrays)) {
    // Registers the region touches live in locals (V8 keeps them in machine
    // registers); they go back to the arrays on every way out, a fault
    // included: an instruction writes rd only after its memory access, so
    // the arrays then hold exactly the state before the faulting instruction.
    const used = new Set<number>();
    // The emitted code leans on Int32Array stores to wrap results to 32
    // bits; a local needs the explicit | 0.
    source = source.replace(/(x[lh]\[\d+\]) = ([^;]+);/g, '$1 = ($2) | 0;');
    source = source.replace(/x([lh])\[(\d+)\]/g, (_, half: string, r: string) => {
      if (r === '0') return '0'; // x0 is read only (writes go to the sink, 32)
      used.add(Number(r));
      return `${half}${r}`;
    });
    const regs = [...used].sort((a, b) => a - b);
    if (regs.length > 0) enter = `let ${regs.map((r) => `l${r} = xl[${r}], h${r} = xh[${r}]`).join(', ')};`;
    leave = regs.map((r) => `xl[${r}] = l${r}; xh[${r}] = h${r};`).join(' ');
  }
  // F[bk]: the region index of block bk's first instruction, for what a fault or bail-out retired.
  // A literal in the cold paths only: nothing is allocated on the way in.
  source = source.replaceAll('F[bk]', `[${firsts.join(', ')}][bk]`);
  let prologue = '';
  if (tlb !== undefined) prologue = `const TT = mem.tlb, TM = TT.mask, Rt = TT.read.tag, Rf = TT.read.frame, Wt = TT.write.tag, Wf = TT.write.frame;`;
  source = `${prologue} ${enter} let n = 0, bk = 0, at = 0; try { ${source} } catch (e) { st[0] = n + at - [${firsts.join(', ')}][bk]; st[1] = at; throw e; } finally { ${leave} }`;
  return { run: functionFor(source), pcs };
}

/**
 * Compiled functions by source. A region's function depends on nothing but
 * its source (the TLB comes from `mem`), so every CPU running the same code
 * (threads, a fork, the same program run again) shares one function, and
 * with it what V8 has learnt about it: only the first CPU pays for the
 * warm-up and the optimizing compile.
 */
const functions = new Map<string, BlockFunction>();
/** Characters of source kept at most; past it the cache starts over (old functions live on in the CPUs holding them). */
const MAX_SOURCE = 16 * 1024 * 1024;
let sourceKept = 0;

function functionFor(source: string): BlockFunction {
  let run = functions.get(source);
  if (run === undefined) {
    if (sourceKept + source.length > MAX_SOURCE) {
      functions.clear();
      sourceKept = 0;
    }
    sourceKept += source.length;
    const factory = new Function(...HELPERS, `return function block(xl, xh, mem, st, fpr, budget) { ${source} };`) as (
      ...helpers: unknown[]
    ) => BlockFunction;
    run = factory(...helperValues());
    functions.set(source, run);
  }
  return run;
}
