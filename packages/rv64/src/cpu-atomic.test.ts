import { describe, expect, it } from 'vitest';
import { CODE_BASE, DATA_BASE, addi, amo, ebreak, execute, lui, machine } from './testing/asm.js';

const A0 = 10, A1 = 11, A2 = 12, A3 = 13;

describe('A extension', () => {
  it('pairs lr.w and sc.w: the store succeeds (rd = 0) and the value is sign-extended on load', () => {
    const { cpu, memory } = execute([
      lui(A0, DATA_BASE >> 12),
      amo('lr', 'w', A1, A0, 0), addi(A2, 0, 5), amo('sc', 'w', A3, A0, A2),
      ebreak,
    ], (_, m) => m.store32(DATA_BASE, -7));
    expect(cpu.getRegister(A1)).toBe(-7n);
    expect(cpu.getRegister(A3)).toBe(0n);
    expect(memory.load32(DATA_BASE)).toBe(5);
  });

  it('fails an sc without a reservation, at another address, or after a return to the driver broke it', () => {
    const sc = [lui(A0, DATA_BASE >> 12), addi(A2, 0, 5), amo('sc', 'd', A3, A0, A2), ebreak];
    const none = execute(sc);
    expect(none.cpu.getRegister(A3)).toBe(1n);
    expect(none.memory.load32(DATA_BASE)).toBe(0);

    const other = execute([lui(A0, DATA_BASE >> 12), amo('lr', 'd', A1, A0, 0), addi(A0, A0, 8), ...sc.slice(1)]);
    expect(other.cpu.getRegister(A3)).toBe(1n);

    const { cpu, memory } = machine([lui(A0, DATA_BASE >> 12), amo('lr', 'd', A1, A0, 0), addi(A2, 0, 5), amo('sc', 'd', A3, A0, A2), ebreak]);
    expect(cpu.run(2).kind).toBe('budget'); // a trap between lr and sc (a timer interrupt, a context switch)
    expect(cpu.run(100).kind).toBe('ebreak');
    expect(cpu.getRegister(A3)).toBe(1n);
    expect(memory.load32(DATA_BASE)).toBe(0);
  });

  it('consumes the reservation: a second sc fails', () => {
    const { cpu } = execute([
      lui(A0, DATA_BASE >> 12), amo('lr', 'w', A1, A0, 0), amo('sc', 'w', A2, A0, 0), amo('sc', 'w', A3, A0, 0), ebreak,
    ]);
    expect([cpu.getRegister(A2), cpu.getRegister(A3)]).toEqual([0n, 1n]);
  });

  const amoCases: [Parameters<typeof amo>[0], bigint, bigint, bigint][] = [
    // op, memory before, rs2, memory after (64-bit)
    ['add', 0xffffffffn, 1n, 0x100000000n],
    ['swap', 5n, -1n, -1n],
    ['xor', 0b1100n, 0b1010n, 0b0110n],
    ['or', 0b1100n, 0b1010n, 0b1110n],
    ['and', 0b1100n, 0b1010n, 0b1000n],
    ['min', -5n, 3n, -5n],
    ['max', -5n, 3n, 3n],
    ['minu', -5n, 3n, 3n],
    ['maxu', -5n, 3n, -5n],
  ];

  it.each(amoCases)('amo%s.d returns the old value and stores the result', (op, before, operand, after) => {
    const { cpu, memory } = execute([lui(A0, DATA_BASE >> 12), amo(op, 'd', A1, A0, A2), ebreak], (c, m) => {
      m.store32(DATA_BASE, Number(BigInt.asIntN(32, before)));
      m.store32(DATA_BASE + 4, Number(BigInt.asIntN(32, before >> 32n)));
      c.setRegister(A2, operand);
    });
    expect(cpu.getRegister(A1)).toBe(BigInt.asIntN(64, before));
    const stored = (BigInt(memory.load32(DATA_BASE + 4)) << 32n) | BigInt(memory.load32(DATA_BASE) >>> 0);
    expect(stored).toBe(BigInt.asIntN(64, after));
  });

  it('amo*.w works on 32 bits, sign-extends the old value and leaves the next word alone', () => {
    const { cpu, memory } = execute([lui(A0, DATA_BASE >> 12), amo('maxu', 'w', A1, A0, A2), amo('add', 'w', A3, A0, A2), ebreak], (c, m) => {
      m.store32(DATA_BASE, -2); // 0xfffffffe
      m.store32(DATA_BASE + 4, 0x1234);
      c.setRegister(A2, 0x1_00000003n); // the upper half is ignored
    });
    expect(cpu.getRegister(A1)).toBe(-2n);
    expect(cpu.getRegister(A3)).toBe(-2n); // maxu kept 0xfffffffe
    expect(memory.load32(DATA_BASE)).toBe(1); // 0xfffffffe + 3 wraps
    expect(memory.load32(DATA_BASE + 4)).toBe(0x1234);
  });

  it('raises SIGBUS (BUS_ADRALN) on a misaligned atomic, which Linux does not emulate', () => {
    const { exit } = execute([lui(A0, DATA_BASE >> 12), addi(A0, A0, 4), amo('add', 'd', A1, A0, A2), ebreak]);
    expect(exit).toEqual({ kind: 'fault', pc: CODE_BASE + 8, fault: 'adraln', address: DATA_BASE + 4, access: 'write' });
  });

  it('faults with SEGV_ACCERR on a read-only page without changing rd', () => {
    const { cpu, exit } = execute([lui(A0, DATA_BASE >> 12), addi(A1, 0, 9), amo('swap', 'w', A1, A0, A2), ebreak], (_, m) => m.protect(DATA_BASE, 4096, 1));
    expect(exit).toMatchObject({ kind: 'fault', fault: 'accerr', access: 'write', address: DATA_BASE });
    expect(cpu.getRegister(A1)).toBe(9n);
  });
});
