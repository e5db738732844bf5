import { describe, expect, it } from 'vitest';
import type { Rv64Cpu } from './cpu.js';
import {
  CODE_BASE, DATA_BASE, addi, addiw, auipc, branch, csrrs, csrrw, ebreak, ecall, execute, fence, fenceI, jal, jalr, li, load,
  lui, machine, r, slli, slti, sltiu, srai, sraiw, srli, store, xori,
} from './testing/asm.js';

describe('RV64I', () => {
  it('adds with a carry across the 32-bit halves and wraps at 64 bits', () => {
    const { cpu, exit } = execute([
      li(1, -1), srli(1, 1, 32), addi(2, 1, 1), // 0xffffffff + 1
      li(3, -1), addi(4, 3, 1), // -1 + 1 wraps to 0
      r('sub', 5, 0, 2), // 0 - 2^32
      r('add', 6, 2, 2),
      ebreak,
    ]);
    expect(exit.kind).toBe('ebreak');
    expect(cpu.getRegister(2)).toBe(1n << 32n);
    expect(cpu.getRegister(4)).toBe(0n);
    expect(cpu.getRegister(5)).toBe(-(1n << 32n));
    expect(cpu.getRegister(6)).toBe(1n << 33n);
  });

  it('discards writes to x0', () => {
    const { cpu } = execute([li(0, 5), addi(1, 0, 7), r('add', 0, 1, 1), ebreak]);
    expect(cpu.getRegister(0)).toBe(0n);
    expect(cpu.getRegister(1)).toBe(7n);
  });

  it('loads upper immediates sign-extended and adds pc with auipc', () => {
    const { cpu } = execute([lui(1, 0x80000), auipc(2, 1), lui(3, 0x12345), addiw(3, 3, 0x678), ebreak]);
    expect(cpu.getRegister(1)).toBe(-(1n << 31n));
    expect(cpu.getRegister(2)).toBe(BigInt(CODE_BASE + 4 + 0x1000));
    expect(cpu.getRegister(3)).toBe(0x12345678n);
  });

  it('shifts 64-bit values by 0, below 32, 32 and above', () => {
    const { cpu } = execute([
      li(1, -3), slli(2, 1, 0), slli(3, 1, 20), slli(4, 1, 32), slli(5, 1, 63),
      srli(6, 1, 4), srli(7, 1, 40), srai(8, 1, 1), srai(9, 1, 50),
      li(10, 36), r('sll', 11, 1, 10), r('srl', 12, 1, 10), r('sra', 13, 1, 10),
      sraiw(14, 1, 1), r('sllw', 15, 1, 10), r('srlw', 16, 1, 10), r('sraw', 17, 4, 10),
      ebreak,
    ]);
    const v = -3n;
    const u = (x: bigint): bigint => BigInt.asUintN(64, x);
    const s = (x: bigint): bigint => BigInt.asIntN(64, x);
    expect(cpu.getRegister(2)).toBe(v);
    expect(cpu.getRegister(3)).toBe(s(v << 20n));
    expect(cpu.getRegister(4)).toBe(s(v << 32n));
    expect(cpu.getRegister(5)).toBe(s(v << 63n));
    expect(cpu.getRegister(6)).toBe(s(u(v) >> 4n));
    expect(cpu.getRegister(7)).toBe(s(u(v) >> 40n));
    expect(cpu.getRegister(8)).toBe(v >> 1n);
    expect(cpu.getRegister(9)).toBe(v >> 50n);
    expect(cpu.getRegister(11)).toBe(s(v << 36n));
    expect(cpu.getRegister(12)).toBe(s(u(v) >> 36n));
    expect(cpu.getRegister(13)).toBe(v >> 36n);
    expect(cpu.getRegister(14)).toBe(-2n);
    expect(cpu.getRegister(15)).toBe(BigInt.asIntN(32, -3n << 4n)); // shift amount 36 & 31 = 4
    expect(cpu.getRegister(16)).toBe(BigInt.asIntN(32, BigInt.asUintN(32, -3n) >> 4n));
    expect(cpu.getRegister(17)).toBe(0n); // (-3 << 32) has low word 0
  });

  it('compares signed and unsigned, register and immediate', () => {
    const { cpu } = execute([
      li(1, -1), li(2, 1),
      r('slt', 3, 1, 2), r('sltu', 4, 1, 2), slti(5, 1, 0), sltiu(6, 2, -1), sltiu(7, 0, 1), xori(8, 2, -1),
      ebreak,
    ]);
    expect([3, 4, 5, 6, 7].map((i) => cpu.getRegister(i))).toEqual([1n, 0n, 1n, 1n, 1n]);
    expect(cpu.getRegister(8)).toBe(-2n);
  });

  it('loops with branches: the sum of 1..100', () => {
    const { cpu, exit } = execute([
      li(1, 0), li(2, 1), li(3, 101),
      r('add', 1, 1, 2), addi(2, 2, 1), branch('blt', 2, 3, -8),
      ebreak,
    ]);
    expect(exit.kind).toBe('ebreak');
    expect(cpu.getRegister(1)).toBe(5050n);
  });

  it('takes unsigned branches on values that differ only in the high word', () => {
    const { cpu } = execute([
      li(1, -1), li(2, 1), li(10, 0),
      branch('bltu', 2, 1, 8), li(10, 99), // skipped: 1 <u 2^64-1
      branch('bge', 2, 1, 8), li(10, 98), // skipped: 1 >= -1
      branch('bgeu', 2, 1, 8), addi(10, 10, 1), // not taken
      branch('bne', 1, 2, 8), li(10, 97),
      ebreak,
    ]);
    expect(cpu.getRegister(10)).toBe(1n);
  });

  it('calls and returns with jal and jalr, clearing bit 0 of the target', () => {
    const { cpu } = execute([
      jal(1, 12), // call
      li(5, 42),
      ebreak,
      li(6, 7), // callee
      addi(1, 1, 1), jalr(0, 1, 0), // return to ra | 1
    ]);
    expect(cpu.getRegister(5)).toBe(42n);
    expect(cpu.getRegister(6)).toBe(7n);
    expect(cpu.getRegister(1)).toBe(BigInt(CODE_BASE + 5));
  });

  it('loads and stores every width, sign- and zero-extending, at misaligned addresses too', () => {
    const { cpu, memory } = execute([
      lui(1, DATA_BASE >> 12), li(2, -2),
      store('sd', 2, 1, 1), store('sw', 0, 1, 4), store('sb', 2, 1, 16), store('sh', 2, 1, 19),
      load('ld', 3, 1, 1), load('lb', 4, 1, 16), load('lbu', 5, 1, 16), load('lh', 6, 1, 19), load('lhu', 7, 1, 19),
      load('lw', 8, 1, 0), load('lwu', 9, 1, 0), load('ld', 10, 1, 0),
      ebreak,
    ]);
    // bytes from DATA_BASE: 00 fe ff ff 00 00 00 00 ff (the sw cleared the middle of the sd)
    expect(cpu.getRegister(3)).toBe(BigInt.asIntN(64, 0xff00000000fffffen));
    expect(memory.load8(DATA_BASE + 1)).toBe(0xfe);
    expect(cpu.getRegister(4)).toBe(-2n);
    expect(cpu.getRegister(5)).toBe(0xfen);
    expect(cpu.getRegister(6)).toBe(-2n);
    expect(cpu.getRegister(7)).toBe(0xfffen);
    expect(cpu.getRegister(8)).toBe(-512n); // bytes 00 fe ff ff
    expect(cpu.getRegister(9)).toBe(0xfffffe00n);
  });
});

describe('exits to the driver', () => {
  it('returns ecall with a7 and pc past it, and resumes with the result in a0', () => {
    const { cpu, exit } = execute([li(17, 93), li(10, 3), ecall, addi(11, 10, 1), ebreak]);
    expect(exit).toEqual({ kind: 'ecall', number: 93, pc: CODE_BASE + 8 });
    expect(cpu.pc).toBe(CODE_BASE + 12);
    expect(cpu.getRegisterNumber(10)).toBe(3);
    cpu.setSyscallResult(-22);
    expect(cpu.run(100)).toEqual({ kind: 'ebreak', pc: CODE_BASE + 16 });
    expect(cpu.getRegister(11)).toBe(-21n);
  });

  it('reports an illegal instruction with its bits, pc at it and not retired', () => {
    const { cpu, exit } = execute([li(1, 1), 0xffffffff | 0]);
    expect(exit).toEqual({ kind: 'illegal', pc: CODE_BASE + 4, bits: -1 });
    expect(cpu.pc).toBe(CODE_BASE + 4);
    expect(cpu.retired).toBe(1);
  });

  it('reports a load from an unmapped address as SEGV_MAPERR at the faulting pc', () => {
    const { cpu, exit } = execute([li(1, 8), load('ld', 2, 1, 0), ebreak]);
    expect(exit).toEqual({ kind: 'fault', pc: CODE_BASE + 4, fault: 'maperr', address: 8, access: 'read' });
    expect(cpu.pc).toBe(CODE_BASE + 4);
  });

  it('reports a store to a read-only page and a fetch from a non-executable page as SEGV_ACCERR', () => {
    const store1 = execute([lui(1, DATA_BASE >> 12), store('sw', 1, 1, 0), ebreak], (_, m) => m.protect(DATA_BASE, 4096, 1));
    expect(store1.exit).toEqual({ kind: 'fault', pc: CODE_BASE + 4, fault: 'accerr', address: DATA_BASE, access: 'write' });
    expect(store1.memory.load32(DATA_BASE)).toBe(0);
    const fetch = execute([lui(1, DATA_BASE >> 12), jalr(0, 1, 0)], (_, m) => m.protect(DATA_BASE, 4096, 3));
    expect(fetch.exit).toEqual({ kind: 'fault', pc: DATA_BASE, fault: 'accerr', address: DATA_BASE, access: 'execute' });
  });

  it('stops when the budget runs out and resumes where it stopped', () => {
    const { cpu } = machine([li(1, 0), addi(1, 1, 1), jal(0, -4)]);
    expect(cpu.run(10)).toEqual({ kind: 'budget', pc: CODE_BASE + 8 });
    cpu.run(11);
    expect(cpu.retired).toBe(21);
    expect(cpu.getRegister(1)).toBe(10n);
  });
});

describe('Zicsr counters and Zifencei', () => {
  it('reads instret, cycle and time, and rejects writes to them', () => {
    const { cpu, exit } = execute([li(1, 0), li(1, 0), csrrs(5, 0xc02, 0), csrrs(6, 0xc00, 0), csrrs(7, 0xc01, 0), csrrw(0, 0xc00, 1)]);
    expect(cpu.getRegister(5)).toBe(2n);
    expect(cpu.getRegister(6)).toBe(3n);
    expect(cpu.getRegister(7)).toBe(12345n);
    expect(exit).toMatchObject({ kind: 'illegal', pc: CODE_BASE + 20 });
  });

  it('rejects an unknown CSR', () => {
    expect(execute([csrrs(5, 0x300, 0)]).exit.kind).toBe('illegal'); // mstatus is not user-visible
  });

  const patchProgram = (sync: number): { cpu: Rv64Cpu; patch: number } => {
    // Rewrites the instruction at `patch` from "li a0, 1" to "li a0, 2", then runs it.
    const patch = CODE_BASE + 4 * 6;
    const { cpu } = machine([
      lui(1, patch >> 12), addi(1, 1, patch & 0xfff), lui(2, li(10, 2) >>> 12), addi(2, 2, li(10, 2) & 0xfff),
      store('sw', 2, 1, 0),
      sync,
      li(10, 1), // patch
      ebreak,
    ]);
    cpu.pc = patch;
    expect(cpu.run(1).kind).toBe('budget'); // decodes and runs li a0, 1 once
    expect(cpu.getRegister(10)).toBe(1n);
    cpu.pc = CODE_BASE;
    expect(cpu.run(100)).toEqual({ kind: 'ebreak', pc: patch + 4 });
    return { cpu, patch };
  };

  it('runs freshly written code after fence.i', () => {
    expect(patchProgram(fenceI).cpu.getRegister(10)).toBe(2n);
  });

  it('keeps running the decoded code without fence.i (as hardware may), until the driver invalidates it', () => {
    const { cpu, patch } = patchProgram(fence);
    expect(cpu.getRegister(10)).toBe(1n);
    cpu.invalidateCode(patch, 4);
    cpu.pc = patch;
    cpu.run(1);
    expect(cpu.getRegister(10)).toBe(2n);
  });
});
