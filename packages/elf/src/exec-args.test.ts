import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { ARG_MAX, MAX_ARG_STRLEN } from './constants';
import { ExecArgs } from './exec-args';
import { decodeCStrings, encodeText } from '@tskern/test-kit';

const MiB = 1024 * 1024;

describe('ExecArgs (fs/exec.c: bprm_stack_limits, copy_strings)', () => {
  it('keeps the strings with their NULs and counts them', () => {
    const args = ExecArgs.collect('/bin/prog', ['prog', 'a'], ['HOME=/'], 8 * MiB) as ExecArgs;
    expect(decodeCStrings(args.argv)).toEqual(['prog', 'a']);
    expect(decodeCStrings(args.envp)).toEqual(['HOME=/']);
    expect(args.size).toBe(10 + 5 + 2 + 7);
    // A quarter of 8 MiB, less a pointer per string.
    expect(args.limit).toBe(2 * MiB - 3 * 8);
  });

  it('gives an empty argv one empty string', () => {
    const args = ExecArgs.collect('/bin/prog', [], [], 8 * MiB) as ExecArgs;
    expect(decodeCStrings(args.argv)).toEqual(['']);
  });

  it('allows ARG_MAX with a small stack limit and 3/4 of 8 MiB at most', () => {
    expect((ExecArgs.collect('f', ['a'], [], 64 * 1024) as ExecArgs).limit).toBe(ARG_MAX - 8);
    expect((ExecArgs.collect('f', ['a'], [], 1024 * MiB) as ExecArgs).limit).toBe(6 * MiB - 8);
  });

  it('refuses a string longer than MAX_ARG_STRLEN with E2BIG', () => {
    expect(ExecArgs.collect('f', ['x'.repeat(MAX_ARG_STRLEN - 1)], [], 8 * MiB)).toBeInstanceOf(ExecArgs);
    expect(ExecArgs.collect('f', ['x'.repeat(MAX_ARG_STRLEN)], [], 8 * MiB)).toBe(-Errno.E2BIG);
    expect(ExecArgs.collect('f', [], ['E='.padEnd(MAX_ARG_STRLEN, 'x')], 8 * MiB)).toBe(-Errno.E2BIG);
  });

  it('refuses strings over the limit, exactly at its edge', () => {
    // Stack limit 0: ARG_MAX, less one pointer for the one argument; "f\0" takes 2.
    const room = ARG_MAX - 8 - 2;
    const arg = (bytes: number) => 'y'.repeat(bytes - 1);
    expect(ExecArgs.collect('f', [arg(room)], [], 0)).toBeInstanceOf(ExecArgs);
    expect(ExecArgs.collect('f', [arg(room + 1)], [], 0)).toBe(-Errno.E2BIG);
  });

  it('refuses more pointers than the limit holds with E2BIG', () => {
    // (max(argc, 1) + envc) pointers of 8 bytes must stay below ARG_MAX.
    expect(ExecArgs.collect('f', [], new Array<string>(ARG_MAX / 8 - 1).fill(''), 0)).toBe(-Errno.E2BIG);
  });

  it('rewrites the arguments for a #! interpreter (remove_arg_zero, then name, argument, script)', () => {
    const args = ExecArgs.collect('./run.sh', ['run', 'x', 'y'], ['A=1'], 8 * MiB) as ExecArgs;
    const next = args.withInterpreter({ interpreter: encodeText('/bin/sh'), argument: encodeText('-e') }, './run.sh') as ExecArgs;
    expect(decodeCStrings(next.argv)).toEqual(['/bin/sh', '-e', './run.sh', 'x', 'y']);
    expect(decodeCStrings(next.envp)).toEqual(['A=1']);
    expect(decodeCStrings([next.execfn])).toEqual(['./run.sh']);
    const bare = args.withInterpreter({ interpreter: encodeText('/bin/sh'), argument: null }, './run.sh') as ExecArgs;
    expect(decodeCStrings(bare.argv)).toEqual(['/bin/sh', './run.sh', 'x', 'y']);
    const full = ExecArgs.collect('s', ['s'], [], 0) as ExecArgs;
    expect(full.withInterpreter({ interpreter: encodeText('i'.repeat(ARG_MAX)), argument: null }, 's')).toBe(-Errno.E2BIG);
  });
});
