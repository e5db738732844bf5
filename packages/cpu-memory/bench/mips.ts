// MIPS of the rv64 interpreter on rv64's compute loop (bench/compute-loop.mjs
// there: loads, stores, adds, a 64-bit multiply, shifts, compressed code, a
// branch) over FlatCpuMemory and over TlbCpuMemory on an mman address space.
// Run in packages/cpu-memory: `npx tsx --conditions=@tskern/source bench/mips.ts`.
import { MAP, PAGE_SIZE, PROT } from '@tskern/abi';
import { AddressSpace, memoryOptions, mmap, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { FlatCpuMemory, Rv64Cpu, encodeB, encodeI, encodeR, encodeS, encodeU, type CpuMemory } from '@tskern/rv64';
import { createCpuMemory } from '../src/index';

const BASE = 0x10000, DATA = 0x20000;
const code = [
  encodeU(0x37, 11, DATA), // lui a1, DATA
  encodeI(0x13, 5, 0, 0, 1000), // li t0, 1000
  encodeI(0x13, 10, 0, 0, 1), // li a0, 1
  encodeI(0x03, 12, 3, 11, 0), // loop: ld a2, 0(a1)
  encodeR(0x33, 10, 0, 10, 12, 0), // add a0, a0, a2
  encodeR(0x33, 13, 0, 10, 5, 1), // mul a3, a0, t0
  encodeI(0x13, 14, 5, 13, 7), // srli a4, a3, 7
  encodeR(0x33, 10, 4, 10, 14, 0), // xor a0, a0, a4
  encodeS(0x23, 3, 11, 10, 8), // sd a0, 8(a1)
  encodeI(0x03, 15, 2, 11, 8), // lw a5, 8(a1)
  encodeR(0x3b, 10, 0, 10, 15, 0), // addw a0, a0, a5
  0x12fd, // c.addi t0, -1
  0x0001, // c.nop
  encodeB(0x63, 1, 5, 0, -36), // bnez t0, loop
  encodeI(0x13, 5, 0, 0, 1000), // li t0, 1000
  encodeB(0x63, 0, 0, 0, -44), // j loop
];

function load(memory: CpuMemory): void {
  let at = BASE;
  for (const insn of code) {
    if ((insn & 3) !== 3 && insn <= 0xffff) { memory.store16(at, insn); at += 2; } else { memory.store32(at, insn); at += 4; }
  }
}

function mips(memory: CpuMemory): string {
  load(memory);
  const cpu = new Rv64Cpu(memory);
  cpu.pc = BASE;
  const measure = (n: number) => {
    const start = performance.now();
    const exit = cpu.run(n);
    if (exit.kind !== 'budget') throw new Error(`unexpected exit ${JSON.stringify(exit)}`);
    return n / (performance.now() - start) / 1000;
  };
  measure(5_000_000);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(measure(20_000_000));
  runs.sort((a, b) => a - b);
  return `${runs[2]!.toFixed(1)} MIPS (median of 5 x 20M; min ${runs[0]!.toFixed(1)}, max ${runs[4]!.toFixed(1)})`;
}

const frames = new ArenaFrameAllocator({ frames: 256 });
const as = new AddressSpace(memoryOptions(frames, standaloneSharedAnonymous(frames)));
const rwx = PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC;
mmap(as, BASE, 0x20 * PAGE_SIZE, rwx, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0);
const which = process.argv[2] ?? 'both';
if (which !== 'tlb') console.log(`flat memory: ${mips(new FlatCpuMemory(BASE, 0x20000))}`);
if (which !== 'flat') console.log(`tlb memory:  ${mips(createCpuMemory(as))}`);
