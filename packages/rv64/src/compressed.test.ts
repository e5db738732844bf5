import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandCompressed } from './compressed.js';
import { decode32, decoded } from './decode.js';
import { Op } from './op.js';
import { CODE_BASE, addi, ebreak, execute, li } from './testing/asm.js';

interface Pair { readonly compressed: string; readonly expanded: string; readonly source: string }

// (16-bit, 32-bit) pairs produced by GNU as from the same source line with
// and without RVC (test/fixtures/build-compressed.sh).
const pairs = JSON.parse(readFileSync(new URL('../test/fixtures/compressed-pairs.json', import.meta.url), 'utf8')) as Pair[];

describe('C extension', () => {
  it.each(pairs)('expands $source as GNU as encodes it', ({ compressed, expanded }) => {
    expect((expandCompressed(parseInt(compressed, 16)) >>> 0).toString(16).padStart(8, '0')).toBe(expanded);
  });

  it('covers every RV64C quadrant and funct3 in the reference pairs', () => {
    const forms = new Set(pairs.map((p) => { const h = parseInt(p.compressed, 16); return `${h & 3}:${h >> 13}`; }));
    // Quadrant 0 funct3 4 is reserved; every other (quadrant, funct3) of RV64C appears.
    expect(forms.size).toBe(23);
  });

  it('rejects the all-zero halfword and reserved forms', () => {
    expect(expandCompressed(0)).toBe(0); // defined illegal
    expect(expandCompressed(0x8000)).toBe(0); // quadrant 0 funct3 4: reserved
    expect(expandCompressed(0x2001)).toBe(0); // c.addiw with rd = x0
    expect(expandCompressed(0x6101)).toBe(0); // c.addi16sp with imm 0
    expect(expandCompressed(0x8002)).toBe(0); // c.jr with rs1 = x0
    expect(expandCompressed(0x4002)).toBe(0); // c.lwsp with rd = x0
  });

  it('expands every halfword to nothing or to an instruction the decoder accepts', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 3) === 3) continue;
      const bits = expandCompressed(h);
      if (bits === 0) continue;
      decode32(bits);
      expect([h, decoded[0]! & 0xff]).not.toEqual([h, Op.Illegal]);
    }
  });

  it('runs mixed 16- and 32-bit code with the right pc steps and links', () => {
    const { cpu, exit } = execute([
      { c: 0x4515 }, // c.li a0, 5
      addi(11, 0, 3),
      { c: 0x952e }, // c.add a0, a0, a1
      { c: 0x0505 }, // c.addi a0, a0, 1
      { c: 0xa011 }, // c.j +4 (over the next c.li)
      { c: 0x4581 }, // c.li a1, 0 (skipped)
      li(12, 1),
      { c: 0x9002 }, // c.ebreak
      ebreak,
    ]);
    expect(exit).toEqual({ kind: 'ebreak', pc: CODE_BASE + 18 });
    expect(cpu.getRegister(10)).toBe(9n);
    expect(cpu.getRegister(11)).toBe(3n);
    expect(cpu.getRegister(12)).toBe(1n);
  });

  it('links pc + 2 for c.jalr and reports a reserved halfword as illegal with its 16 bits', () => {
    const { cpu, exit } = execute([addi(5, 0, 0), { c: 0x8000 }]); // quadrant 0 funct3 4 is reserved
    expect(exit).toEqual({ kind: 'illegal', pc: CODE_BASE + 4, bits: 0x8000 });
    const jalr = execute([
      0x00000297, // auipc t0, 0
      addi(5, 5, 16), // t0 = address of the callee
      { c: 0x9282 }, // c.jalr t0
      ebreak,
      { c: 0x0000 },
      { c: 0x8082 }, // callee: c.jr ra
    ]);
    expect(jalr.exit).toEqual({ kind: 'ebreak', pc: CODE_BASE + 10 });
    expect(jalr.cpu.getRegister(1)).toBe(BigInt(CODE_BASE + 10));
    expect(cpu.retired).toBe(1);
  });
});
