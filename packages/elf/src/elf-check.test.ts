import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { BINPRM_BUF_SIZE, EM_RISCV, EM_X86_64, ET_DYN, ET_EXEC, PF, PT } from './constants';
import { checkElfExec, type OpenExec } from './elf-check';
import { readBinprmBuf, type ExecFile } from './exec-file';
import { bytesFile, cPath, textAndData, writeElf, type ElfSpec } from './testing/elf-writer';

const LD = '/lib/ld-linux-riscv64-lp64d.so.1';
const interpBytes = writeElf({ type: ET_DYN, phdrs: textAndData(0) });

function opener(files: Record<string, Uint8Array>): OpenExec<string> {
  return (path) => (files[path] === undefined ? -Errno.ENOENT : bytesFile(files[path]!, path));
}

function check(spec: ElfSpec | Uint8Array, files: Record<string, Uint8Array> = { [LD]: interpBytes }, machine = EM_RISCV) {
  const bytes = spec instanceof Uint8Array ? spec : writeElf(spec);
  const file: ExecFile<string> = bytesFile(bytes, 'prog');
  const buf = readBinprmBuf(file, BINPRM_BUF_SIZE) as Uint8Array;
  return checkElfExec(file, buf, machine, opener(files));
}

function withInterp(path: Uint8Array, extra: Partial<{ filesz: number; offset: number }> = {}): ElfSpec {
  return {
    type: ET_DYN,
    phdrs: [{ type: PT.PT_INTERP, offset: 0x200, filesz: extra.filesz ?? path.length, ...(extra.offset !== undefined ? { offset: extra.offset } : {}) }, ...textAndData(0)],
    contents: [{ offset: 0x200, bytes: path }],
  };
}

describe('checkElfExec (load_elf_binary before the point of no return)', () => {
  it('accepts a riscv64 ET_EXEC and reads its program headers', () => {
    const got = check({ type: ET_EXEC, entry: 0x10078, phdrs: textAndData(0x10000) });
    expect(typeof got).toBe('object');
    if (typeof got === 'number') return;
    expect(got.program.header).toMatchObject({ type: ET_EXEC, machine: EM_RISCV, entry: 0x10078, phnum: 3 });
    expect(got.program.phdrs[1]).toEqual({ type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_W, offset: 0x1e10, vaddr: 0x12e10, filesz: 0x100, memsz: 0x3000, align: 0x1000 });
    expect(got.interpreter).toBeNull();
    expect(got.stack).toBe('non-executable');
  });

  it.each([
    ['no ELF magic', new TextEncoder().encode('MZ\x90\x00 not an elf')],
    ['an empty file', new Uint8Array(0)],
  ])('refuses %s with ENOEXEC', (_what, bytes) => {
    expect(check(bytes)).toBe(-Errno.ENOEXEC);
  });

  it.each([
    ['ET_REL', { type: 1, phdrs: textAndData(0) }],
    ['ET_CORE', { type: 4, phdrs: textAndData(0) }],
    ['another machine (x86-64)', { machine: EM_X86_64, phdrs: textAndData(0) }],
    ['ELFCLASS32', { ident: { 4: 1 }, phdrs: textAndData(0) }],
    ['ELFCLASSNONE', { ident: { 4: 0 }, phdrs: textAndData(0) }],
    ['a big-endian file (e_machine reads 0xf300)', { bigEndian: true, phdrs: textAndData(0) }],
    ['e_phentsize 32', { phentsize: 32, phdrs: textAndData(0) }],
    ['e_phnum 0', { phnum: 0, phdrs: [] }],
    ['a header table over a page (74 entries)', { phnum: 74, phdrs: textAndData(0) }],
    ['a header table past the end of the file', { phoff: 0x10000, phdrs: textAndData(0), size: 0x400 }],
  ] as [string, ElfSpec][])('refuses %s with ENOEXEC', (_what, spec) => {
    expect(check(spec)).toBe(-Errno.ENOEXEC);
  });

  it('ignores EI_DATA, EI_VERSION and OS/ABI as Linux does', () => {
    const got = check({ ident: { 6: 0, 7: 3 }, phdrs: textAndData(0x10000) });
    expect(typeof got).toBe('object');
  });

  it('takes 73 program headers (a page) and the machine the personality asks for', () => {
    expect(typeof check({ phnum: 73, phdrs: textAndData(0x10000), size: 64 + 73 * 56 })).toBe('object');
    expect(typeof check({ machine: EM_X86_64, phdrs: textAndData(0x400000) }, {}, EM_X86_64)).toBe('object');
    expect(check({ phdrs: textAndData(0x10000) }, {}, EM_X86_64)).toBe(-Errno.ENOEXEC);
  });

  it('opens the first PT_INTERP and checks the interpreter', () => {
    const other = '/lib/other.so';
    const spec = withInterp(cPath(LD));
    const twice: ElfSpec = { ...spec, phdrs: [...spec.phdrs, { type: PT.PT_INTERP, offset: 0x300, filesz: other.length + 1 }], contents: [...spec.contents!, { offset: 0x300, bytes: cPath(other) }] };
    const got = check(twice);
    if (typeof got === 'number') throw new Error(`check: ${got}`);
    expect(got.interpreter?.path).toBe(LD);
    expect(got.interpreter?.file.handle).toBe(LD);
    expect(got.interpreter?.header.type).toBe(ET_DYN);
  });

  it.each([
    ['a one-byte path', withInterp(new Uint8Array([0]))],
    ['a path over PATH_MAX', withInterp(cPath(LD), { filesz: 4097 })],
    ['a path without its NUL', withInterp(new TextEncoder().encode(LD))],
  ])('refuses PT_INTERP with %s (ENOEXEC)', (_what, spec) => {
    expect(check(spec)).toBe(-Errno.ENOEXEC);
  });

  it('answers EIO when PT_INTERP lies past the end of the file', () => {
    expect(check({ ...withInterp(cPath(LD), { offset: 0x5000 }), size: 0x400 })).toBe(-Errno.EIO);
  });

  it('returns the error of opening the interpreter', () => {
    expect(check(withInterp(cPath('/lib/missing.so')))).toBe(-Errno.ENOENT);
  });

  it('takes the path up to its first NUL', () => {
    const bytes = new Uint8Array([...cPath(LD), 0x41, 0]);
    const got = check(withInterp(bytes));
    expect(typeof got === 'object' && got.interpreter?.path).toBe(LD);
  });

  it.each([
    ['not ELF', new TextEncoder().encode('#!/bin/sh\n'.padEnd(80, ' '))],
    ['another machine', writeElf({ type: ET_DYN, machine: EM_X86_64, phdrs: textAndData(0) })],
    ['32-bit', writeElf({ type: ET_DYN, ident: { 4: 1 }, phdrs: textAndData(0) })],
    ['bad program headers', writeElf({ type: ET_DYN, phentsize: 40, phdrs: textAndData(0) })],
  ])('refuses an interpreter that is %s with ELIBBAD', (_what, bytes) => {
    expect(check(withInterp(cPath(LD)), { [LD]: bytes })).toBe(-Errno.ELIBBAD);
  });

  it('answers EIO for an interpreter shorter than an ELF header', () => {
    expect(check(withInterp(cPath(LD)), { [LD]: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]) })).toBe(-Errno.EIO);
  });

  it('leaves the interpreter type to the load (checked after the point of no return)', () => {
    const got = check(withInterp(cPath(LD)), { [LD]: writeElf({ type: 1, phdrs: textAndData(0) }) });
    expect(typeof got === 'object' && got.interpreter?.header.type).toBe(1);
  });

  it('reads the stack permission from the last PT_GNU_STACK', () => {
    const stack = (flags: number[]) => {
      const got = check({ phdrs: [...textAndData(0x10000).slice(0, 2), ...flags.map((f) => ({ type: PT.PT_GNU_STACK, flags: f }))] });
      return typeof got === 'number' ? got : got.stack;
    };
    expect(stack([])).toBe('default');
    expect(stack([PF.PF_R | PF.PF_W | PF.PF_X])).toBe('executable');
    expect(stack([PF.PF_R | PF.PF_W | PF.PF_X, PF.PF_R | PF.PF_W])).toBe('non-executable');
  });
});
