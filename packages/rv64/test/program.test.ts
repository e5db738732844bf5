// End to end: a freestanding riscv64 program built by gcc -march=rv64gc
// (fixtures/program.c, rebuilt by fixtures/build.sh) runs on the CPU over a
// flat memory until its exit system call. Its output is compared with the
// same computations done here independently with BigInt and doubles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlatCpuMemory, Rv64Cpu } from '../src/index.js';

const SYS_WRITE = 64, SYS_EXIT = 93;
const PT_LOAD = 1;

/** Copies the PT_LOAD segments of a little-endian ELF64 image into memory with their protections; returns the entry point. */
function loadSegments(image: Uint8Array, memory: FlatCpuMemory): number {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const entry = Number(view.getBigUint64(0x18, true));
  const phoff = Number(view.getBigUint64(0x20, true));
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (view.getUint32(ph, true) !== PT_LOAD) continue;
    const flags = view.getUint32(ph + 4, true);
    const offset = Number(view.getBigUint64(ph + 8, true));
    const vaddr = Number(view.getBigUint64(ph + 16, true));
    const filesz = Number(view.getBigUint64(ph + 32, true));
    const memsz = Number(view.getBigUint64(ph + 40, true));
    memory.bytes.set(image.subarray(offset, offset + filesz), vaddr - memory.base);
    // ELF PF_X=1 PF_W=2 PF_R=4 to PROT_READ=1 PROT_WRITE=2 PROT_EXEC=4.
    const prot = ((flags & 4) !== 0 ? 1 : 0) | ((flags & 2) !== 0 ? 2 : 0) | ((flags & 1) !== 0 ? 4 : 0);
    const start = vaddr - (vaddr % 4096);
    memory.protect(start, vaddr + memsz - start, prot);
  }
  return entry;
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** program.c's mix(), in BigInt. */
function mix(): bigint {
  let h = 0x9e3779b97f4a7c15n;
  let s = -12345n;
  for (let i = 1n; i <= 1000n; i++) {
    h = u64(h * 6364136223846793005n + i);
    h ^= h >> 29n;
    const d = (h % 1000003n) + 1n;
    s = s64(s + (s64(h / d) % 7919n) - s64(h >> 40n) / (i | 1n));
    h = u64(h + ((h * 0x2545f4914f6cdd1dn) >> 64n));
    s ^= s64((s64(h) * s) >> 64n);
  }
  return u64(h ^ u64(s));
}

/** program.c's misaligned(): little-endian reads and writes at odd offsets. */
function misaligned(): bigint {
  const buf = new Uint8Array(64).map((_, i) => (i * 7 + 1) & 0xff);
  const view = new DataView(buf.buffer);
  const a = view.getBigUint64(3, true);
  view.setBigUint64(13, a, true);
  const w = BigInt(view.getUint32(30, true));
  const b = view.getBigUint64(9, true);
  return u64(a ^ (b << 1n) ^ w);
}

/** program.c's atomics(): ten fetch-adds, a fetch-or, a CAS that succeeds and one that fails, an exchange. */
function atomics(): bigint {
  let counter = 0n;
  for (let i = 0n; i < 10n; i++) counter += i * 5n;
  let flags = 0x30n;
  const ok = flags === 0x30n ? 1n : 0n;
  if (ok) flags = 0x31n;
  const failed = flags === 0x30n ? 1n : 0n;
  const expected2 = flags;
  const old = counter;
  counter = -3n;
  return u64((old << 32n) ^ (flags << 16n) ^ (ok << 8n) ^ (failed << 4n) ^ expected2 ^ u64(counter));
}

/** program.c's floats(): IEEE double and single arithmetic, truncating conversions. */
function floats(): bigint {
  let x = 0;
  for (let i = 1; i <= 100; i++) x += Math.sqrt(i) / (i + 3);
  const f = Math.fround(Math.fround(x) * 1.5);
  const a = BigInt(Math.trunc(x * 1e6));
  const b = BigInt(Math.trunc(Math.fround(f * 1000)));
  return u64((a << 20n) ^ b);
}

const hex = (name: string, v: bigint): string => `${name}=${v.toString(16).padStart(16, '0')}\n`;

describe('a gcc-built rv64gc program', () => {
  it('runs to exit(7) and prints what the same computations give', () => {
    const image = new Uint8Array(readFileSync(new URL('./fixtures/program', import.meta.url)));
    const memory = new FlatCpuMemory(0x10000, 0x10000);
    const cpu = new Rv64Cpu(memory);
    cpu.pc = loadSegments(image, memory);
    cpu.setRegisterNumber(2, 0x20000 - 64); // sp
    let output = '';
    let status: number | undefined;
    while (status === undefined) {
      const exit = cpu.run(1_000_000);
      if (exit.kind === 'budget') continue;
      expect(exit).toMatchObject({ kind: 'ecall' });
      if (exit.kind !== 'ecall') break;
      if (exit.number === SYS_WRITE) {
        const address = cpu.getRegisterNumber(11), length = cpu.getRegisterNumber(12);
        output += new TextDecoder().decode(memory.bytes.subarray(address - memory.base, address - memory.base + length));
        cpu.setSyscallResult(length);
      } else {
        expect(exit.number).toBe(SYS_EXIT);
        status = cpu.getRegisterNumber(10);
      }
    }
    expect(status).toBe(7);
    expect(output).toBe(hex('mix', mix()) + hex('misaligned', misaligned()) + hex('atomics', atomics()) + hex('floats', floats()));
  });
});
