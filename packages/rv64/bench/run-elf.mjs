// Runs a freestanding static riscv64 ELF (one whose only system call is
// exit) on the CPU over a flat memory and prints its exit status, the
// instructions retired and MIPS by process CPU time, with the JIT on
// (default) or off (JIT=0). Usage: node bench/run-elf.mjs <elf> (after tsup).
import { readFileSync } from 'node:fs';
import { FlatCpuMemory, Rv64Cpu } from '../dist/index.js';

const image = readFileSync(process.argv[2]);
const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
const BASE = 0x10000, SIZE = 0x1000000;
const memory = new FlatCpuMemory(BASE, SIZE);
const phoff = Number(view.getBigUint64(0x20, true));
for (let i = 0; i < view.getUint16(0x38, true); i++) {
  const ph = phoff + i * view.getUint16(0x36, true);
  if (view.getUint32(ph, true) !== 1) continue; // PT_LOAD
  const offset = Number(view.getBigUint64(ph + 8, true));
  const vaddr = Number(view.getBigUint64(ph + 16, true));
  memory.bytes.set(image.subarray(offset, offset + Number(view.getBigUint64(ph + 32, true))), vaddr - BASE);
}
const cpu = new Rv64Cpu(memory, { jit: process.env.JIT !== '0' });
cpu.pc = Number(view.getBigUint64(0x18, true));
cpu.setRegisterNumber(2, BASE + SIZE - 4096); // sp
const start = process.cpuUsage();
for (;;) {
  const exit = cpu.run(10_000_000);
  if (exit.kind === 'budget') continue;
  if (exit.kind === 'ecall' && exit.number === 93) break;
  throw new Error(`unexpected exit ${JSON.stringify(exit)}`);
}
const used = process.cpuUsage(start);
const seconds = (used.user + used.system) / 1e6;
console.log(`exit ${cpu.getRegisterNumber(10)}: ${cpu.retired} instructions in ${seconds.toFixed(2)} s CPU = ${(cpu.retired / seconds / 1e6).toFixed(1)} MIPS`);
