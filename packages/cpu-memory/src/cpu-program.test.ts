import { MAP, PAGE_SIZE, PROT } from '@tskern/abi';
import { mmap, mprotect, munmap } from '@tskern/mman';
import { encodeB, encodeI, encodeR, encodeS, encodeU, Rv64Cpu } from '@tskern/rv64';
import { describe, expect, it } from 'vitest';
import { createCpuMemory, type TlbCpuMemory } from './index';
import { world } from './testing/world';

const CODE = 0x10000000;
const DATA = 0x10010000;
const ECALL = 0x00000073;

/** Write instructions at `at` (through the memory, so the page must be writable). */
function assemble(memory: TlbCpuMemory, at: number, code: number[]): void {
  code.forEach((insn, i) => memory.store32(at + 4 * i, insn));
}

/** li a0, value; li a7, 93; ecall */
const exitWith = (value: number) => [encodeI(0x13, 10, 0, 0, value), encodeI(0x13, 17, 0, 0, 93), ECALL];

describe('an Rv64Cpu over TlbCpuMemory', () => {
  it('runs a loop that sums 10..1 into a shared page another address space reads', () => {
    const w = world();
    expect(w.truncate(PAGE_SIZE)).toBe(0);
    const as = w.space();
    const other = w.space();
    const rw = PROT.PROT_READ | PROT.PROT_WRITE;
    expect(mmap(as, CODE, PAGE_SIZE, rw, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0)).toBe(CODE);
    expect(mmap(as, DATA, PAGE_SIZE, rw, MAP.MAP_SHARED | MAP.MAP_FIXED, w.source, 0)).toBe(DATA);
    expect(mmap(other, DATA, PAGE_SIZE, PROT.PROT_READ, MAP.MAP_SHARED | MAP.MAP_FIXED, w.source, 0)).toBe(DATA);
    const memory = createCpuMemory(as);
    assemble(memory, CODE, [
      encodeU(0x37, 11, DATA), // lui a1, DATA
      encodeI(0x13, 5, 0, 0, 10), // li t0, 10
      encodeI(0x13, 10, 0, 0, 0), // li a0, 0
      encodeR(0x33, 10, 0, 10, 5, 0), // loop: add a0, a0, t0
      encodeI(0x13, 5, 0, 5, -1), // addi t0, t0, -1
      encodeB(0x63, 1, 5, 0, -8), // bnez t0, loop
      encodeS(0x23, 3, 11, 10, 0), // sd a0, 0(a1)
      encodeI(0x13, 17, 0, 0, 93), // li a7, 93
      ECALL,
    ]);
    const cpu = new Rv64Cpu(memory);
    cpu.pc = CODE;
    // Written but not executable yet: the first fetch faults.
    expect(cpu.run(100)).toMatchObject({ kind: 'fault', fault: 'accerr', address: CODE, access: 'execute', pc: CODE });
    expect(mprotect(as, CODE, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_EXEC)).toBe(0);
    expect(cpu.run(1000)).toMatchObject({ kind: 'ecall', number: 93 });
    expect(cpu.getRegisterNumber(10)).toBe(55);
    expect(createCpuMemory(other).load32(DATA)).toBe(55);
  });

  it('runs the new code after a remap at the same address once watchCode is wired to the decode cache', () => {
    const w = world();
    const as = w.space();
    const map = () => expect(mmap(as, CODE, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0)).toBe(CODE);
    map();
    const memory = createCpuMemory(as);
    const cpu = new Rv64Cpu(memory);
    memory.watchCode((address, length) => cpu.invalidateCode(address, length));
    assemble(memory, CODE, exitWith(1));
    cpu.pc = CODE;
    expect(cpu.run(10)).toMatchObject({ kind: 'ecall' });
    expect(cpu.getRegisterNumber(10)).toBe(1);
    expect(munmap(as, CODE, PAGE_SIZE)).toBe(0);
    cpu.pc = CODE;
    expect(cpu.run(10)).toMatchObject({ kind: 'fault', fault: 'maperr', address: CODE, access: 'execute' });
    map();
    assemble(memory, CODE, exitWith(2));
    cpu.pc = CODE;
    expect(cpu.run(10)).toMatchObject({ kind: 'ecall' });
    expect(cpu.getRegisterNumber(10)).toBe(2);
  });

  it('grows a MAP_GROWSDOWN stack on a store below it, and answers SEGV_MAPERR past RLIMIT_STACK', () => {
    const w = world();
    const as = w.space();
    const STACK = 0x20000000;
    expect(mmap(as, STACK, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED | MAP.MAP_GROWSDOWN, null, 0)).toBe(STACK);
    const memory = createCpuMemory(as);
    memory.store32(STACK - 8, 7); // the page below grows the VMA
    expect(memory.load32(STACK - 8)).toBe(7);
    expect(as.vmas.find(STACK - 8)?.start).toBe(STACK - PAGE_SIZE);
    // Far below: past RLIMIT_STACK's 8 MiB, nothing grows.
    expect(() => memory.load8(STACK - 16 * 1024 * 1024)).toThrow(expect.objectContaining({ kind: 'maperr' }));
  });
});
