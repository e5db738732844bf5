import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { BINPRM_BUF_SIZE } from './constants';
import { parseScriptLine } from './script';

/** The binprm buffer of a file holding `text`: its first 256 bytes, zero-padded. */
function buf(text: string): Uint8Array {
  const b = new Uint8Array(BINPRM_BUF_SIZE);
  b.set(new TextEncoder().encode(text).subarray(0, BINPRM_BUF_SIZE));
  return b;
}

function parsed(text: string): [string, string | null] | number {
  const got = parseScriptLine(buf(text));
  if (typeof got === 'number') return got;
  const d = new TextDecoder();
  return [d.decode(got.interpreter), got.argument === null ? null : d.decode(got.argument)];
}

describe('parseScriptLine (fs/binfmt_script.c)', () => {
  it.each([
    ['#!/bin/sh\necho hi\n', ['/bin/sh', null]],
    ['#! /bin/sh -e -x  \n', ['/bin/sh', '-e -x']],
    ['#!\t/usr/bin/env\tpython3 \t\n', ['/usr/bin/env', 'python3']],
    ['#!/bin/sh', ['/bin/sh', null]],
    ['#!/bin/sh\0ignored -x\n', ['/bin/sh', null]],
    ['#!/bin/awk -f\0 more\n', ['/bin/awk', '-f']],
  ] as [string, [string, string | null]][])('reads %j', (text, want) => {
    expect(parsed(text)).toEqual(want);
  });

  it.each([
    ['no #!', 'echo hi\n'],
    ['#! alone', '#!\n'],
    ['only blanks', '#!  \t \n'],
    ['a buffer of blanks without a newline', `#!${' '.repeat(300)}`],
    ['an interpreter path that may be truncated', `#!/${'x'.repeat(300)}`],
    ['an ELF file', '\x7fELF'],
  ])('refuses %s with ENOEXEC', (_what, text) => {
    expect(parsed(text)).toBe(-Errno.ENOEXEC);
  });

  it('cuts a line longer than the buffer before its last byte when the path ended', () => {
    expect(parsed(`#!/bin/sh ${'a'.repeat(300)}`)).toEqual(['/bin/sh', 'a'.repeat(BINPRM_BUF_SIZE - 1 - 10)]);
  });
});
