// The block compiler: a run of decoded instructions from one entry pc up to a
// control transfer (or something left to the interpreter, or the end of the
// 4 KiB page) becomes one JavaScript function built with `new Function`.
// Registers stay in the CPU's Int32Arrays; the function returns the next pc.
// Before every instruction that can throw (a memory access) or bail out
// (an F/D op with an invalid rounding mode) it writes how many instructions
// of this call have retired to st[0], so the run loop can put pc and
// instret exactly where the interpreter would: the faulting instruction not
// retired, every earlier one retired.
//
// A block whose final branch jumps back to its own entry is a loop: the
// function iterates in place up to the budget it is given (st[1] gets the
// number of full passes), so a hot loop runs without returning to dispatch.
import { Op } from './op.js';
import { branchCondition, emitStraight, HELPERS } from './jit-emit.js';
import { executeFloat } from './float.js';
import { divrem64, divremu64, mul64, mulh64, mulhsu64, mulhu64 } from './int64.js';
import type { CpuMemory } from './memory.js';
import type { FloatRegisters } from './float-registers.js';

const PAGE = 4096;
const TWO32 = 4294967296;
/** Longest block (instructions): long enough to amortise dispatch, short enough to compile fast. */
const MAX_BLOCK = 64;

export type BlockFunction = (
  xl: Int32Array, xh: Int32Array, mem: CpuMemory, st: Int32Array, fpr: FloatRegisters, budget: number,
) => number;

export interface CompiledBlock {
  readonly run: BlockFunction;
  /** Instructions in one pass through the block. */
  readonly count: number;
  /** The pc of each instruction, for a fault or bail-out at index st[0] % count. */
  readonly pcs: readonly number[];
  /** True when the block loops on itself (st[1] then holds the passes made). */
  readonly loop: boolean;
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

/** Compiles the block entered at `start`, or returns null when its first instruction is left to the interpreter. */
export function compileBlock(start: number, read: DecodedReader): CompiledBlock | null {
  const words = new Int32Array(3);
  const pageEnd = start - (start % PAGE) + PAGE;
  const pcs: number[] = [];
  const body: string[] = [];
  let pc = start;
  let tail = '';
  let loop = false;
  /** F/D operations run through executeFloat, which reads and writes the register arrays. */
  let usesRegisterArrays = false;
  while (pcs.length < MAX_BLOCK) {
    if (!read(pc, words)) break;
    const w0 = words[0]!, imm = words[1]!, w2 = words[2]!;
    const next = pc + (w2 >>> 16);
    if (next > pageEnd) break;
    const op = (w0 & 0xff) as Op, rd = (w0 >> 8) & 0xff, rs1 = (w0 >> 16) & 0xff, rs2 = w0 >>> 24;
    const k = pcs.length;
    const mark = `at = base + ${k};`;
    if (op >= Op.FaddS) usesRegisterArrays = true;
    const straight = emitStraight(op, rd, rs1, rs2, imm, w2, pc, mark);
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
      loop = target === start;
      tail = loop ? `if (!(${cond})) { st[1] = n + 1; return ${next}; }` : `if (${cond}) return ${target}; return ${next};`;
    } else if (op === Op.Jal) {
      pcs.push(pc);
      const target = pc + imm;
      loop = target === start;
      body.push(`xl[${rd}] = ${next | 0}; xh[${rd}] = ${Math.floor(next / TWO32) | 0};`);
      tail = loop ? '' : `return ${target};`;
    } else if (op === Op.Jalr) {
      pcs.push(pc);
      tail = `{ const a = xl[${rs1}]; const target = xh[${rs1}] * ${TWO32} + (a >>> 0) + ${imm} - ((a + ${imm}) & 1);`
        + ` xl[${rd}] = ${next | 0}; xh[${rd}] = ${Math.floor(next / TWO32) | 0}; return target; }`;
    }
    // Anything else (ecall, CSR, fence.i, atomics, illegal) ends the block before it.
    break;
  }
  if (pcs.length === 0) return null;
  const count = pcs.length;
  if (tail === '' && !loop) tail = `return ${pc};`;
  let source = loop
    // Passes run while a whole one fits in the budget; the caller guarantees one does.
    ? `const passes = Math.floor(budget / ${count}); let n = 0, base = 0;
      for (;;) { ${body.join('\n')}
        ${tail}
        n++; base += ${count};
        if (n >= passes) { st[1] = n; return ${start}; } }`
    : `const base = 0; ${body.join('\n')}\n${tail}`;
  let enter = '', leave = '';
  if (!usesRegisterArrays) {
    // Registers the block touches live in locals (V8 keeps them in machine
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
  source = `${enter} let at = 0; try { ${source} } catch (e) { st[0] = at; throw e; } finally { ${leave} }`;
  const factory = new Function(...HELPERS, `return function block(xl, xh, mem, st, fpr, budget) { ${source} };`) as (
    ...helpers: unknown[]
  ) => BlockFunction;
  return { run: factory(...helperValues()), count, pcs, loop };
}
