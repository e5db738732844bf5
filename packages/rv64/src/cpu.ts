// The user-mode RV64GC hart: integer registers as int32 halves (no BigInt on
// the hot path), a decode cache of 4 KiB pages keyed by page number, and a
// run loop that returns to its driver on ecall, ebreak, an illegal
// instruction, a memory fault or the end of its instruction budget. Hot code
// runs as blocks compiled to JavaScript (jit.ts); the interpreter runs cold
// code and every instruction the blocks leave to it.
import { decode32, decoded } from './decode.js';
import { expandCompressed } from './compressed.js';
import type { CpuExit } from './exit.js';
import { FloatRegisters } from './float-registers.js';
import { executeFloat } from './float.js';
import { divrem64, divremu64, mul64, mulh64, mulhsu64, mulhu64 } from './int64.js';
import { canCompile, compileBlock, type CompiledBlock } from './jit.js';
import { CpuMemoryFault, type CpuMemory } from './memory.js';
import { Amo, Op, ZERO_SINK } from './op.js';

const TWO32 = 4294967296;
const PAGE = 4096;
const SLOTS = PAGE / 2;
const NO_RESERVATION = -1;
const HOT_ENTRY = 16;

/** CSR numbers (the unprivileged spec's CSR listing) a user program may use. */
const CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02;

export interface Rv64CpuOptions {
  /**
   * The `time` CSR (rdtime): ticks of the timebase. Linux on riscv64 exposes
   * the frequency in the device tree; 10 MHz (QEMU virt) is the default here.
   */
  readonly timeSource?: () => number;
  /**
   * Compile hot blocks to JavaScript (default true). False keeps the CPU a
   * pure interpreter. Where `new Function` is forbidden (a page whose
   * Content-Security-Policy lacks 'unsafe-eval') it is off whatever this says.
   */
  readonly jit?: boolean;
  /**
   * Times a block entry is interpreted before it is compiled (default 16):
   * code run once or twice (start-up, error paths) is cheaper to interpret
   * than to compile. Tests use 1 to compile everything at once.
   */
  readonly jitThreshold?: number;
}

function defaultTime(): number {
  return Math.floor(globalThis.performance.now() * 10_000);
}

export class Rv64Cpu {
  /** Low 32 bits of x0..x31; index 32 is where writes to x0 go. */
  readonly xlo = new Int32Array(33);
  /** High 32 bits of x0..x31 (and the x0 sink). */
  readonly xhi = new Int32Array(33);
  readonly fpr = new FloatRegisters();
  /** Address of the next instruction. */
  pc = 0;
  /** Instructions retired (the instret and cycle CSRs). */
  retired = 0;
  private readonly pages = new Map<number, Int32Array>();
  private readonly tmp = new Int32Array(2);
  private readonly timeSource: () => number;
  /** Whether hot blocks are compiled (the `jit` option, if this realm allows it). */
  readonly jit: boolean;
  /** Compiled blocks by entry pc; null for an entry whose first instruction the interpreter runs. */
  private readonly blocks = new Map<number, CompiledBlock | null>();
  /** Entry pcs of the blocks in each 4 KiB page, for invalidateCode. */
  private readonly blockPages = new Map<number, number[]>();
  /** Interpreted runs of not-yet-compiled entries. */
  private readonly heat = new Map<number, number>();
  /**
   * st[0]: instructions a region call retired (before its fault or
   * bail-out, if any); st[1]: the index in its pcs of that instruction;
   * st[2]: the LR reservation address, or -1 (compiled LR/SC and the
   * interpreter's share it: jit-atomic.ts).
   */
  private readonly blockState = new Float64Array([0, 0, NO_RESERVATION]);
  private readonly hotEntry: number;
  /**
   * The last run ended on its budget, so pc may be anywhere in a block: the
   * next run does not count it as a block entry (a loop preempted at a
   * different instruction each time would otherwise compile a region, and
   * pay V8's warm-up, for each of them).
   */
  private resumeAnywhere = false;
  private readonly decodedWords = (pc: number, out: Int32Array): boolean => this.readDecoded(pc, out);

  constructor(readonly memory: CpuMemory, options: Rv64CpuOptions = {}) {
    this.timeSource = options.timeSource ?? defaultTime;
    this.jit = (options.jit ?? true) && canCompile();
    this.hotEntry = options.jitThreshold ?? HOT_ENTRY;
  }

  /** Register i as a signed 64-bit BigInt (for drivers and tests; not the hot path). */
  getRegister(i: number): bigint {
    return (BigInt(this.xhi[i]!) << 32n) | BigInt(this.xlo[i]! >>> 0);
  }

  setRegister(i: number, value: bigint): void {
    if (i === 0) return;
    this.xlo[i] = Number(BigInt.asIntN(32, value));
    this.xhi[i] = Number(BigInt.asIntN(32, value >> 32n));
  }

  /** Register i as a number: exact when the signed value is within ±2^53. */
  getRegisterNumber(i: number): number {
    return this.xhi[i]! * TWO32 + (this.xlo[i]! >>> 0);
  }

  /** Sets register i from an integer within ±2^53 (sign-extended to 64 bits). */
  setRegisterNumber(i: number, value: number): void {
    if (i === 0) return;
    this.xlo[i] = value | 0;
    this.xhi[i] = Math.floor(value / TWO32) | 0;
  }

  /** Writes a system call's result (a return value or -errno) into a0. */
  setSyscallResult(value: number): void {
    this.setRegisterNumber(10, value);
  }

  /** Breaks the LR reservation (run() also does on every return, as Linux does on every trap return). */
  breakReservation(): void {
    this.blockState[2] = NO_RESERVATION;
  }

  /** Forgets every decoded instruction (fence.i does this too). */
  flushDecodeCache(): void {
    this.pages.clear();
    this.blocks.clear();
    this.blockPages.clear();
  }

  /**
   * Forgets decoded instructions in [address, address + length): the driver
   * calls this when code pages are written, unmapped or lose PROT_EXEC. The
   * page before is dropped too, for an instruction straddling the boundary.
   */
  invalidateCode(address: number, length: number): void {
    const first = Math.floor(address / PAGE) - 1;
    const last = Math.floor((address + Math.max(length, 1) - 1) / PAGE);
    if (last - first > this.pages.size + this.blockPages.size) {
      for (const key of [...this.pages.keys()]) if (key >= first && key <= last) this.pages.delete(key);
      for (const key of [...this.blockPages.keys()]) if (key >= first && key <= last) this.dropBlocks(key);
      return;
    }
    for (let p = first; p <= last; p++) {
      this.pages.delete(p);
      this.dropBlocks(p);
    }
  }

  private dropBlocks(page: number): void {
    const entries = this.blockPages.get(page);
    if (entries === undefined) return;
    for (const pc of entries) this.blocks.delete(pc);
    this.blockPages.delete(page);
  }

  /** The decode-cache words of the instruction at pc (decoding it if needed); false if it cannot be fetched. */
  private readDecoded(pc: number, out: Int32Array): boolean {
    const page = this.pageFor(pc);
    const i = ((pc % PAGE) >> 1) * 3;
    if (page[i] === 0) {
      try {
        this.decodeAt(pc, page, i);
      } catch (e) {
        if (e instanceof CpuMemoryFault) return false;
        throw e;
      }
    }
    out[0] = page[i]!; out[1] = page[i + 1]!; out[2] = page[i + 2]!;
    return true;
  }

  /** The block entered at pc, compiling it once it is hot; undefined while it is still cold. */
  private blockAt(pc: number): CompiledBlock | null | undefined {
    const heat = (this.heat.get(pc) ?? 0) + 1;
    if (heat < this.hotEntry) {
      this.heat.set(pc, heat);
      return undefined;
    }
    this.heat.delete(pc);
    const block = compileBlock(pc, this.decodedWords, this.memory.tlb);
    this.blocks.set(pc, block);
    const key = Math.floor(pc / PAGE);
    const entries = this.blockPages.get(key);
    if (entries === undefined) this.blockPages.set(key, [pc]);
    else entries.push(pc);
    return block;
  }

  private pageFor(pc: number): Int32Array {
    const key = Math.floor(pc / PAGE);
    let page = this.pages.get(key);
    if (page === undefined) {
      page = new Int32Array(SLOTS * 3);
      this.pages.set(key, page);
    }
    return page;
  }

  private decodeAt(pc: number, page: Int32Array, i: number): void {
    const low = this.memory.fetch16(pc);
    if ((low & 3) === 3) {
      const bits = (low | (this.memory.fetch16(pc + 2) << 16)) | 0;
      decode32(bits);
      page[i + 2] = decoded[2]! | (4 << 16);
    } else {
      const bits = expandCompressed(low);
      if (bits === 0) {
        page[i + 2] = 2 << 16;
        page[i + 1] = low;
        page[i] = Op.Illegal;
        return;
      }
      decode32(bits);
      page[i + 2] = decoded[2]! | (2 << 16);
    }
    page[i + 1] = decoded[1]!;
    page[i] = decoded[0]!;
  }

  private readCsr(csr: number, retired: number): number | undefined {
    switch (csr) {
      case CSR_FFLAGS: return this.fpr.fflags;
      case CSR_FRM: return this.fpr.frm;
      case CSR_FCSR: return (this.fpr.frm << 5) | this.fpr.fflags;
      case CSR_CYCLE: case CSR_INSTRET: return retired;
      case CSR_TIME: return this.timeSource();
      default: return undefined;
    }
  }

  /** CSRRW/S/C[I]: false when the CSR does not exist or is read-only and written (SIGILL). */
  private csrOp(op: Op, rd: number, rs1: number, csr: number, retired: number): boolean {
    const old = this.readCsr(csr, retired);
    if (old === undefined) return false;
    const immediate = op >= Op.Csrrwi;
    const src = immediate ? rs1 : this.xlo[rs1]!;
    const kind = immediate ? op - Op.Csrrwi : op - Op.Csrrw;
    // csrrs/csrrc with rs1 = x0 (or uimm 0) do not write (the spec's CSR instruction table).
    const writes = kind === 0 || rs1 !== 0;
    if (writes) {
      if (csr >= CSR_CYCLE) return false;
      this.fpr.dirty = true;
      const value = kind === 0 ? src : kind === 1 ? old | src : old & ~src;
      if (csr === CSR_FFLAGS) this.fpr.fflags = value & 0x1f;
      else if (csr === CSR_FRM) this.fpr.frm = value & 7;
      else { this.fpr.fflags = value & 0x1f; this.fpr.frm = (value >> 5) & 7; }
    }
    this.setRegisterNumber(rd === ZERO_SINK ? 0 : rd, old);
    return true;
  }

  private misaligned(address: number, size: number, access: 'read' | 'write'): void {
    // Linux does not emulate misaligned atomics: SIGBUS, BUS_ADRALN.
    if (address % size !== 0) throw new CpuMemoryFault('adraln', address, access);
  }

  /** Runs at most `budget` instructions; returns why it stopped. */
  run(budget: number): CpuExit {
    const exit = this.jit ? this.runBlocks(budget) : this.interpret(budget, false);
    this.resumeAnywhere = exit.kind === 'budget';
    // Every return to the driver is a trap; Linux clears a dangling LR
    // reservation on each return from a trap (a dummy SC in
    // arch/riscv/kernel/entry.S), so an LR/SC pair split by it fails and retries.
    this.blockState[2] = NO_RESERVATION;
    return exit;
  }

  /**
   * The dispatch loop: compiled regions while they make progress, the
   * interpreter for cold code, for instructions regions do not compile, and
   * for a budget tail shorter than the next block.
   */
  private runBlocks(budget: number): CpuExit {
    const xl = this.xlo, xh = this.xhi, mem = this.memory, st = this.blockState, fpr = this.fpr, blocks = this.blocks;
    let pc = this.pc;
    let left = budget;
    let n = 0; // retired by regions and not yet added to this.retired
    let block: CompiledBlock | null | undefined;
    let counted = !this.resumeAnywhere;
    try {
      while (left > 0) {
        block = blocks.get(pc);
        if (block === undefined && counted) block = this.blockAt(pc);
        counted = true;
        let limit = 1; // what the interpreter runs when the region did not
        if (block != null) {
          const next = block.run(xl, xh, mem, st, fpr, left);
          const done = st[0]!;
          n += done; left -= done;
          if (next === -3) {
            // The region ended in an ecall (retired, in st[0]): the interpreter's exit, pc past it.
            pc = block.pcs[st[1]!]!;
            this.pc = pc + 4;
            this.retired += n;
            return { kind: 'ecall', number: xl[17]!, pc };
          }
          // -1 (odd, so never a pc: every pc is even) is a bail-out: the
          // interpreter takes the instruction at st[1].
          if (next === -1) pc = block.pcs[st[1]!]!;
          else {
            pc = next;
            if (done !== 0) continue;
            // Its first block does not fit in the budget: the tail runs interpreted.
            limit = left;
          }
        }
        this.pc = pc;
        this.retired += n;
        n = 0;
        const before = this.retired;
        // Cold code runs up to its next taken jump (a block entry); an
        // uncompiled instruction or one a region bailed out on runs alone.
        const exit = block === undefined ? this.interpret(left, true) : this.interpret(limit, false);
        left -= this.retired - before;
        pc = this.pc;
        if (exit.kind !== 'budget') return exit;
      }
      this.pc = pc;
      this.retired += n;
      return { kind: 'budget', pc };
    } catch (e) {
      if (!(e instanceof CpuMemoryFault) || block == null) throw e;
      // The fault came out of a region: st[0] instructions of the call retired.
      this.pc = block.pcs[st[1]!]!;
      this.retired += n + st[0]!;
      return { kind: 'fault', pc: this.pc, fault: e.kind, address: e.address, access: e.access };
    }
  }

  /**
   * The interpreter: at most `budget` instructions, or (stopAtJump) up to and
   * including the first taken control transfer. Does not touch the LR
   * reservation (run does, once per return to the driver).
   */
  private interpret(budget: number, stopAtJump: boolean): CpuExit {
    const xl = this.xlo, xh = this.xhi, mem = this.memory, t = this.tmp;
    let pc = this.pc;
    let n = 0;
    let page = this.pageFor(pc);
    let pageBase = pc - (pc % PAGE);
    let exit: CpuExit | undefined;
    try {
      run: while (n < budget) {
        let off = pc - pageBase;
        if (off < 0 || off >= PAGE) {
          page = this.pageFor(pc);
          pageBase = pc - (pc % PAGE);
          off = pc - pageBase;
        }
        const i = (off >> 1) * 3;
        let w0 = page[i]!;
        if (w0 === 0) {
          this.decodeAt(pc, page, i);
          w0 = page[i]!;
        }
        const op = w0 & 0xff, rd = (w0 >> 8) & 0xff, rs1 = (w0 >> 16) & 0xff, rs2 = w0 >>> 24;
        const imm = page[i + 1]!;
        const fall = pc + (page[i + 2]! >>> 16);
        let next = fall;
        switch (op) {
          case Op.Addi: {
            const a = xl[rs1]!;
            const s = (a >>> 0) + (imm >>> 0);
            xh[rd] = xh[rs1]! + (imm >> 31) + (s > 0xffffffff ? 1 : 0);
            xl[rd] = s;
            break;
          }
          case Op.Add: {
            const s = (xl[rs1]! >>> 0) + (xl[rs2]! >>> 0);
            xh[rd] = xh[rs1]! + xh[rs2]! + (s > 0xffffffff ? 1 : 0);
            xl[rd] = s;
            break;
          }
          case Op.Sub: {
            const a = xl[rs1]!, b = xl[rs2]!;
            xh[rd] = xh[rs1]! - xh[rs2]! - ((a >>> 0) < (b >>> 0) ? 1 : 0);
            xl[rd] = a - b;
            break;
          }
          case Op.Addiw: { const v = (xl[rs1]! + imm) | 0; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Addw: { const v = (xl[rs1]! + xl[rs2]!) | 0; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Subw: { const v = (xl[rs1]! - xl[rs2]!) | 0; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Lui: xl[rd] = imm; xh[rd] = imm >> 31; break;
          case Op.Auipc: { const v = pc + imm; xl[rd] = v; xh[rd] = Math.floor(v / TWO32); break; }
          case Op.Jal: {
            const link = next;
            next = pc + imm;
            xl[rd] = link; xh[rd] = link / TWO32;
            break;
          }
          case Op.Jalr: {
            const a = xl[rs1]!;
            const target = xh[rs1]! * TWO32 + (a >>> 0) + imm - ((a + imm) & 1);
            xl[rd] = next; xh[rd] = next / TWO32;
            next = target;
            break;
          }
          case Op.Beq: if (xl[rs1] === xl[rs2] && xh[rs1] === xh[rs2]) next = pc + imm; break;
          case Op.Bne: if (xl[rs1] !== xl[rs2] || xh[rs1] !== xh[rs2]) next = pc + imm; break;
          case Op.Blt: {
            const ah = xh[rs1]!, bh = xh[rs2]!;
            if (ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (xl[rs2]! >>> 0))) next = pc + imm;
            break;
          }
          case Op.Bge: {
            const ah = xh[rs1]!, bh = xh[rs2]!;
            if (!(ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (xl[rs2]! >>> 0)))) next = pc + imm;
            break;
          }
          case Op.Bltu: {
            const ah = xh[rs1]! >>> 0, bh = xh[rs2]! >>> 0;
            if (ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (xl[rs2]! >>> 0))) next = pc + imm;
            break;
          }
          case Op.Bgeu: {
            const ah = xh[rs1]! >>> 0, bh = xh[rs2]! >>> 0;
            if (!(ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (xl[rs2]! >>> 0)))) next = pc + imm;
            break;
          }
          case Op.Lb: { const v = (mem.load8(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm) << 24) >> 24; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Lh: { const v = (mem.load16(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm) << 16) >> 16; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Lw: { const v = mem.load32(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm); xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Ld: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm;
            const lo = mem.load32(a);
            xh[rd] = mem.load32(a + 4);
            xl[rd] = lo;
            break;
          }
          case Op.Lbu: xl[rd] = mem.load8(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm); xh[rd] = 0; break;
          case Op.Lhu: xl[rd] = mem.load16(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm); xh[rd] = 0; break;
          case Op.Lwu: xl[rd] = mem.load32(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm); xh[rd] = 0; break;
          case Op.Sb: mem.store8(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm, xl[rs2]! & 0xff); break;
          case Op.Sh: mem.store16(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm, xl[rs2]! & 0xffff); break;
          case Op.Sw: mem.store32(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm, xl[rs2]!); break;
          case Op.Sd: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm;
            mem.store32(a, xl[rs2]!);
            mem.store32(a + 4, xh[rs2]!);
            break;
          }
          case Op.Slti: case Op.Slt: {
            const bl = op === Op.Slti ? imm : xl[rs2]!, bh = op === Op.Slti ? imm >> 31 : xh[rs2]!;
            const ah = xh[rs1]!;
            xl[rd] = ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (bl >>> 0)) ? 1 : 0; xh[rd] = 0;
            break;
          }
          case Op.Sltiu: case Op.Sltu: {
            const bl = op === Op.Sltiu ? imm : xl[rs2]!, bh = (op === Op.Sltiu ? imm >> 31 : xh[rs2]!) >>> 0;
            const ah = xh[rs1]! >>> 0;
            xl[rd] = ah < bh || (ah === bh && (xl[rs1]! >>> 0) < (bl >>> 0)) ? 1 : 0; xh[rd] = 0;
            break;
          }
          case Op.Xori: xl[rd] = xl[rs1]! ^ imm; xh[rd] = xh[rs1]! ^ (imm >> 31); break;
          case Op.Ori: xl[rd] = xl[rs1]! | imm; xh[rd] = xh[rs1]! | (imm >> 31); break;
          case Op.Andi: xl[rd] = xl[rs1]! & imm; xh[rd] = xh[rs1]! & (imm >> 31); break;
          case Op.Xor: xl[rd] = xl[rs1]! ^ xl[rs2]!; xh[rd] = xh[rs1]! ^ xh[rs2]!; break;
          case Op.Or: xl[rd] = xl[rs1]! | xl[rs2]!; xh[rd] = xh[rs1]! | xh[rs2]!; break;
          case Op.And: xl[rd] = xl[rs1]! & xl[rs2]!; xh[rd] = xh[rs1]! & xh[rs2]!; break;
          case Op.Slli: case Op.Sll: {
            const sh = op === Op.Slli ? imm : xl[rs2]! & 63;
            const lo = xl[rs1]!, hi = xh[rs1]!;
            if (sh === 0) { xl[rd] = lo; xh[rd] = hi; }
            else if (sh < 32) { xh[rd] = (hi << sh) | (lo >>> (32 - sh)); xl[rd] = lo << sh; }
            else { xh[rd] = lo << (sh - 32); xl[rd] = 0; }
            break;
          }
          case Op.Srli: case Op.Srl: {
            const sh = op === Op.Srli ? imm : xl[rs2]! & 63;
            const lo = xl[rs1]!, hi = xh[rs1]!;
            if (sh === 0) { xl[rd] = lo; xh[rd] = hi; }
            else if (sh < 32) { xl[rd] = (lo >>> sh) | (hi << (32 - sh)); xh[rd] = hi >>> sh; }
            else { xl[rd] = hi >>> (sh - 32); xh[rd] = 0; }
            break;
          }
          case Op.Srai: case Op.Sra: {
            const sh = op === Op.Srai ? imm : xl[rs2]! & 63;
            const lo = xl[rs1]!, hi = xh[rs1]!;
            if (sh === 0) { xl[rd] = lo; xh[rd] = hi; }
            else if (sh < 32) { xl[rd] = (lo >>> sh) | (hi << (32 - sh)); xh[rd] = hi >> sh; }
            else { xl[rd] = hi >> (sh - 32); xh[rd] = hi >> 31; }
            break;
          }
          case Op.Slliw: { const v = xl[rs1]! << imm; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Srliw: { const v = (xl[rs1]! >>> imm) | 0; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Sraiw: { const v = xl[rs1]! >> imm; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Sllw: { const v = xl[rs1]! << (xl[rs2]! & 31); xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Srlw: { const v = (xl[rs1]! >>> (xl[rs2]! & 31)) | 0; xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Sraw: { const v = xl[rs1]! >> (xl[rs2]! & 31); xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Mul: mul64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Mulh: mulh64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Mulhsu: mulhsu64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Mulhu: mulhu64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Div: case Op.Rem:
            divrem64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, op === Op.Rem, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Divu: case Op.Remu:
            divremu64(xl[rs1]!, xh[rs1]!, xl[rs2]!, xh[rs2]!, op === Op.Remu, t); xl[rd] = t[0]!; xh[rd] = t[1]!; break;
          case Op.Mulw: { const v = Math.imul(xl[rs1]!, xl[rs2]!); xl[rd] = v; xh[rd] = v >> 31; break; }
          case Op.Divw: {
            // x / 0 = -1; INT32_MIN / -1 = INT32_MIN (no trap on RISC-V).
            const a = xl[rs1]!, b = xl[rs2]!;
            const v = b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0;
            xl[rd] = v; xh[rd] = v >> 31;
            break;
          }
          case Op.Divuw: {
            const a = xl[rs1]! >>> 0, b = xl[rs2]! >>> 0;
            const v = b === 0 ? -1 : Math.floor(a / b) | 0;
            xl[rd] = v; xh[rd] = v >> 31;
            break;
          }
          case Op.Remw: {
            const a = xl[rs1]!, b = xl[rs2]!;
            const v = b === 0 ? a : b === -1 ? 0 : a % b | 0;
            xl[rd] = v; xh[rd] = v >> 31;
            break;
          }
          case Op.Remuw: {
            const a = xl[rs1]! >>> 0, b = xl[rs2]! >>> 0;
            const v = b === 0 ? a | 0 : (a % b) | 0;
            xl[rd] = v; xh[rd] = v >> 31;
            break;
          }
          case Op.Fence: break;
          case Op.FenceI:
            this.flushDecodeCache();
            page = this.pageFor(next);
            pageBase = next - (next % PAGE);
            break;
          case Op.Ecall:
            n++;
            this.pc = next;
            exit = { kind: 'ecall', number: xl[17]!, pc };
            break run;
          case Op.Ebreak:
            exit = { kind: 'ebreak', pc };
            break run;
          case Op.Illegal:
            exit = { kind: 'illegal', pc, bits: imm };
            break run;
          case Op.Csrrw: case Op.Csrrs: case Op.Csrrc: case Op.Csrrwi: case Op.Csrrsi: case Op.Csrrci:
            if (!this.csrOp(op, rd, rs1, imm, this.retired + n)) {
              exit = { kind: 'illegal', pc, bits: this.rawBits(pc) };
              break run;
            }
            break;
          case Op.LrW: case Op.LrD: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0);
            this.misaligned(a, op === Op.LrW ? 4 : 8, 'read');
            const lo = mem.load32(a);
            xh[rd] = op === Op.LrW ? lo >> 31 : mem.load32(a + 4);
            xl[rd] = lo;
            this.blockState[2] = a;
            break;
          }
          case Op.ScW: case Op.ScD: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0);
            this.misaligned(a, op === Op.ScW ? 4 : 8, 'write');
            let failed = 1;
            if (this.blockState[2] === a) {
              mem.store32(a, xl[rs2]!);
              if (op === Op.ScD) mem.store32(a + 4, xh[rs2]!);
              failed = 0;
            }
            this.blockState[2] = NO_RESERVATION;
            xl[rd] = failed; xh[rd] = 0;
            break;
          }
          case Op.AmoW: case Op.AmoD: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0);
            const word = op === Op.AmoW;
            this.misaligned(a, word ? 4 : 8, 'write');
            const ol = mem.load32(a);
            const oh = word ? ol >> 31 : mem.load32(a + 4);
            const bl = xl[rs2]!, bh = word ? bl >> 31 : xh[rs2]!;
            this.amo(page[i + 2]! & 0xff, ol, oh, bl, bh, t);
            mem.store32(a, t[0]!);
            if (!word) mem.store32(a + 4, t[1]!);
            xl[rd] = ol; xh[rd] = oh;
            break;
          }
          case Op.Flw: {
            const v = mem.load32(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm);
            this.fpr.i32[rd * 2] = v; this.fpr.i32[rd * 2 + 1] = -1; this.fpr.dirty = true;
            break;
          }
          case Op.Fld: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm;
            const lo = mem.load32(a);
            this.fpr.i32[rd * 2 + 1] = mem.load32(a + 4);
            this.fpr.i32[rd * 2] = lo;
            this.fpr.dirty = true;
            break;
          }
          case Op.Fsw: mem.store32(xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm, this.fpr.i32[rs2 * 2]!); break;
          case Op.Fsd: {
            const a = xh[rs1]! * TWO32 + (xl[rs1]! >>> 0) + imm;
            mem.store32(a, this.fpr.i32[rs2 * 2]!);
            mem.store32(a + 4, this.fpr.i32[rs2 * 2 + 1]!);
            break;
          }
          default: {
            const w2 = page[i + 2]!;
            if (!executeFloat(this.fpr, xl, xh, op, rd, rs1, rs2, w2 & 0xff, (w2 >> 8) & 7)) {
              exit = { kind: 'illegal', pc, bits: this.rawBits(pc) };
              break run;
            }
          }
        }
        pc = next;
        n++;
        if (stopAtJump && next !== fall) break;
      }
      if (exit === undefined) {
        this.pc = pc;
        exit = { kind: 'budget', pc };
      }
    } catch (e) {
      if (!(e instanceof CpuMemoryFault)) throw e;
      this.pc = pc;
      exit = { kind: 'fault', pc, fault: e.kind, address: e.address, access: e.access };
    }
    if (exit.kind !== 'ecall' && exit.kind !== 'budget' && exit.kind !== 'fault') this.pc = pc;
    this.retired += n;
    return exit;
  }

  /** The instruction bits at pc, for an illegal-instruction exit found after decoding. */
  private rawBits(pc: number): number {
    const low = this.memory.fetch16(pc);
    return (low & 3) === 3 ? (low | (this.memory.fetch16(pc + 2) << 16)) | 0 : low;
  }

  private amo(kind: number, ol: number, oh: number, bl: number, bh: number, out: Int32Array): void {
    let takeB: boolean;
    switch (kind) {
      case Amo.Swap: out[0] = bl; out[1] = bh; return;
      case Amo.Add: {
        const s = (ol >>> 0) + (bl >>> 0);
        out[0] = s; out[1] = oh + bh + (s > 0xffffffff ? 1 : 0);
        return;
      }
      case Amo.Xor: out[0] = ol ^ bl; out[1] = oh ^ bh; return;
      case Amo.Or: out[0] = ol | bl; out[1] = oh | bh; return;
      case Amo.And: out[0] = ol & bl; out[1] = oh & bh; return;
      case Amo.Min: takeB = bh < oh || (bh === oh && (bl >>> 0) < (ol >>> 0)); break;
      case Amo.Max: takeB = bh > oh || (bh === oh && (bl >>> 0) > (ol >>> 0)); break;
      case Amo.Minu: takeB = (bh >>> 0) < (oh >>> 0) || (bh === oh && (bl >>> 0) < (ol >>> 0)); break;
      case Amo.Maxu:
      default:
        takeB = (bh >>> 0) > (oh >>> 0) || (bh === oh && (bl >>> 0) > (ol >>> 0)); break;
    }
    out[0] = takeB ? bl : ol;
    out[1] = takeB ? bh : oh;
  }
}
