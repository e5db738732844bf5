import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { EM_RISCV, EM_X86_64, ET_EXEC } from './constants';
import type { OpenExec } from './elf-check';
import { ExecArgs } from './exec-args';
import { resolveExec } from './resolve-exec';
import { bytesFile, textAndData, writeElf } from './testing/elf-writer';
import { decodeCStrings, encodeText } from '@tskern/test-kit';

const sh = writeElf({ type: ET_EXEC, entry: 0x10000, phdrs: textAndData(0x10000) });

function run(files: Record<string, Uint8Array>, path: string, argv: string[]) {
  const open: OpenExec<string> = (p) => (files[p] === undefined ? -Errno.ENOENT : bytesFile(files[p]!, p));
  const file = open(path);
  if (typeof file === 'number') return file;
  return resolveExec(file, path, ExecArgs.collect(path, argv, ['PATH=/bin'], 8 << 20) as ExecArgs, EM_RISCV, open);
}

describe('resolveExec (search_binary_handler over binfmt_script and binfmt_elf)', () => {
  it('runs an ELF program as is', () => {
    const got = run({ '/bin/sh': sh }, '/bin/sh', ['sh']);
    expect(typeof got === 'object' && [got.exePath, decodeCStrings(got.args.argv)]).toEqual(['/bin/sh', ['sh']]);
  });

  it('runs a script through its interpreter, which /proc/self/exe then names', () => {
    const got = run({ '/bin/sh': sh, '/s': encodeText('#!/bin/sh -e\nexit 0\n') }, '/s', ['s', '1']);
    if (typeof got === 'number') throw new Error(`resolve: ${got}`);
    expect(got.exePath).toBe('/bin/sh');
    expect(got.exe.handle).toBe('/bin/sh');
    expect(decodeCStrings(got.args.argv)).toEqual(['/bin/sh', '-e', '/s', '1']);
    expect(decodeCStrings([got.args.execfn])).toEqual(['/s']);
  });

  it('follows a script whose interpreter is a script, each one passing its own path', () => {
    const got = run({ '/bin/sh': sh, '/a': encodeText('#!/b\n'), '/b': encodeText('#!/bin/sh\n') }, '/a', ['a']);
    expect(typeof got === 'object' && decodeCStrings(got.args.argv)).toEqual(['/bin/sh', '/b', '/a']);
  });

  it('gives up with ELOOP after five interpreters', () => {
    const chain = (n: number) => Object.fromEntries([...Array(n).keys()].map((i) => [`/s${i}`, encodeText(`#!/s${i + 1}\n`)]));
    expect(typeof run({ ...chain(5), '/s5': sh }, '/s0', ['x'])).toBe('object');
    expect(run({ ...chain(6), '/s6': sh }, '/s0', ['x'])).toBe(-Errno.ELOOP);
  });

  it('answers ENOEXEC for text, another machine and a bad #! line; the open error for a missing interpreter', () => {
    expect(run({ '/t': encodeText('hello\n') }, '/t', ['t'])).toBe(-Errno.ENOEXEC);
    expect(run({ '/x': writeElf({ machine: EM_X86_64, phdrs: textAndData(0x400000) }) }, '/x', ['x'])).toBe(-Errno.ENOEXEC);
    expect(run({ '/s': encodeText('#!\n') }, '/s', ['s'])).toBe(-Errno.ENOEXEC);
    expect(run({ '/s': encodeText('#!/nowhere\n') }, '/s', ['s'])).toBe(-Errno.ENOENT);
  });
});
