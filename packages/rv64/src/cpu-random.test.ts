import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { DATA_BASE, machine } from './testing/asm.js';

// Random instruction streams, biased to real opcodes: whatever the guest
// does, run() answers with an exit value (never a JavaScript exception), x0
// stays zero, and pc stays where an exit says it is.
const OPCODES = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73];
const word = fc.oneof(
  fc.tuple(fc.constantFrom(...OPCODES), fc.integer({ min: 0, max: 0x1ffffff })).map(([op, rest]) => (rest << 7) | op),
  fc.integer({ min: 0, max: 0xffff }).map((h) => h | (h << 16)), // two compressed halfwords
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
);

describe('random instruction streams', () => {
  it('always end in an exit value with x0 still zero', () => {
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 64 }), fc.array(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), { minLength: 31, maxLength: 31 }), (code, regs) => {
      const { cpu } = machine(code);
      regs.forEach((v, i) => cpu.setRegister(i + 1, i % 3 === 0 ? BigInt(DATA_BASE + (i << 4)) : v));
      for (let k = 0; k < 4; k++) {
        const exit = cpu.run(200);
        expect(['ecall', 'ebreak', 'illegal', 'fault', 'budget']).toContain(exit.kind);
        expect(cpu.getRegister(0)).toBe(0n);
        if (exit.kind !== 'ecall') expect(exit.pc).toBe(cpu.pc);
        if (exit.kind !== 'ecall' && exit.kind !== 'budget') break;
      }
    }), { numRuns: propertyRuns(300) });
  });
});
