import { putU64 } from '../bytes';
import { ELF64_EHDR_SIZE, ELF64_PHDR_SIZE, EM_RISCV, ET_EXEC, PF, PT } from '../constants';
import type { ExecFile } from '../exec-file';

/** One program header to write. */
export interface PhdrSpec {
  readonly type: number;
  readonly flags?: number;
  readonly offset?: number;
  readonly vaddr?: number;
  readonly filesz?: number;
  readonly memsz?: number;
  readonly align?: number;
}

/** An ELF64 file to build: header fields (defaults: a riscv64 ET_EXEC) and program headers. */
export interface ElfSpec {
  readonly type?: number;
  readonly machine?: number;
  readonly entry?: number;
  readonly phoff?: number;
  readonly phentsize?: number;
  /** e_phnum; default the number of `phdrs`. */
  readonly phnum?: number;
  /** e_ident bytes to override, by index (class, data, version...). */
  readonly ident?: Readonly<Record<number, number>>;
  readonly phdrs: readonly PhdrSpec[];
  /** Byte ranges to place (an interpreter path, code). */
  readonly contents?: readonly { readonly offset: number; readonly bytes: Uint8Array }[];
  /** The file size; default just past the last byte written. */
  readonly size?: number;
  /** Write e_machine big-endian (a big-endian file). */
  readonly bigEndian?: boolean;
}

function put16(b: Uint8Array, at: number, v: number, be = false): void {
  b[at] = be ? (v >> 8) & 0xff : v & 0xff;
  b[at + 1] = be ? v & 0xff : (v >> 8) & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 4; i++) b[at + i] = (v >>> (8 * i)) & 0xff;
}

/** Build the bytes of an ELF64 little-endian file from `spec` (the tests' ELF writer). */
export function writeElf(spec: ElfSpec): Uint8Array {
  const phoff = spec.phoff ?? ELF64_EHDR_SIZE;
  const tableEnd = phoff + spec.phdrs.length * ELF64_PHDR_SIZE;
  let end = Math.max(ELF64_EHDR_SIZE, tableEnd);
  for (const c of spec.contents ?? []) end = Math.max(end, c.offset + c.bytes.length);
  const out = new Uint8Array(spec.size ?? end);
  const h = new Uint8Array(Math.max(end, out.length));
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, spec.bigEndian === true ? 2 : 1, 1, 0]);
  for (const [i, v] of Object.entries(spec.ident ?? {})) h[Number(i)] = v;
  const be = spec.bigEndian === true;
  put16(h, 16, spec.type ?? ET_EXEC, be);
  put16(h, 18, spec.machine ?? EM_RISCV, be);
  put32(h, 20, 1);
  putU64(h, 24, spec.entry ?? 0);
  putU64(h, 32, phoff);
  put16(h, 52, ELF64_EHDR_SIZE);
  put16(h, 54, spec.phentsize ?? ELF64_PHDR_SIZE);
  put16(h, 56, spec.phnum ?? spec.phdrs.length);
  spec.phdrs.forEach((ph, i) => {
    const at = phoff + i * ELF64_PHDR_SIZE;
    put32(h, at, ph.type);
    put32(h, at + 4, ph.flags ?? 0);
    putU64(h, at + 8, ph.offset ?? 0);
    putU64(h, at + 16, ph.vaddr ?? 0);
    putU64(h, at + 24, ph.vaddr ?? 0);
    putU64(h, at + 32, ph.filesz ?? 0);
    putU64(h, at + 40, ph.memsz ?? ph.filesz ?? 0);
    putU64(h, at + 48, ph.align ?? 0x1000);
  });
  for (const c of spec.contents ?? []) h.set(c.bytes, c.offset);
  out.set(h.subarray(0, out.length));
  return out;
}

/** An ExecFile over bytes; `handle` names it in plans. */
export function bytesFile<F>(bytes: Uint8Array, handle: F): ExecFile<F> {
  return {
    handle,
    read: (offset, length) => (offset >= bytes.length ? new Uint8Array(0) : bytes.slice(offset, offset + length)),
  };
}

/** A NUL-terminated path as PT_INTERP holds it. */
export function cPath(path: string): Uint8Array {
  return new TextEncoder().encode(`${path}\0`);
}

/** A typical text segment (R+X) and data segment (R+W with bss) at `base`, for plan tests. */
export function textAndData(base: number): PhdrSpec[] {
  return [
    { type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_X, offset: 0, vaddr: base, filesz: 0x1234, memsz: 0x1234 },
    { type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_W, offset: 0x1e10, vaddr: base + 0x2e10, filesz: 0x100, memsz: 0x3000 },
    { type: PT.PT_GNU_STACK, flags: PF.PF_R | PF.PF_W },
  ];
}
