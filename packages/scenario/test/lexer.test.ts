import { describe, expect, it } from 'vitest';
import { MAP, O, PROT, S } from '@tskern/abi';
import { formatOp, parseAddress, parseFlags, parseInt64, parseLine, parseNumber, readString, ScenarioError, splitLine, tokenize } from '../src/index';

/** The scenario error a function throws at line 7. */
function why(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).line).toBe(7);
    expect((e as ScenarioError).message).toBe(`7: scenario error: ${(e as ScenarioError).why}`);
    return (e as ScenarioError).why;
  }
  throw new Error('no scenario error');
}

const num = (t: string, signed = true): number => parseNumber(t, 7, 'LEN', signed);
const str = (t: string): string => Buffer.from(readString(t, 0, 7).bytes).toString('latin1');

describe('numbers', () => {
  it('reads decimal, hex, octal and zero', () => {
    expect(num('4096')).toBe(4096);
    expect(num('0x1000')).toBe(4096);
    expect(num('0X1f')).toBe(31);
    expect(num('0xAbC')).toBe(0xabc);
    expect(num('010000')).toBe(4096);
    expect(num('0600')).toBe(0o600);
    expect(num('0')).toBe(0);
    expect(num('00')).toBe(0);
    expect(num('0777')).toBe(511);
  });
  it('reads K, M and G as powers of 1024, on any notation', () => {
    expect(num('4K')).toBe(4096);
    expect(num('2M')).toBe(2 * 1024 * 1024);
    expect(num('1G')).toBe(1024 ** 3);
    expect(num('0x10K')).toBe(16 * 1024);
    expect(num('010K')).toBe(8 * 1024);
    expect(num('0K')).toBe(0);
  });
  it('takes a leading - where a value may be negative', () => {
    expect(num('-1')).toBe(-1);
    expect(num('-4K')).toBe(-4096);
    expect(num('-0x10')).toBe(-16);
    expect(Object.is(num('-0'), 0)).toBe(true);
    expect(why(() => num('-1', false))).toBe('LEN must not be negative, got -1');
  });
  it('rejects 08, 09 and other malformed numbers', () => {
    expect(why(() => num('08'))).toBe('bad octal number "08" for LEN: 8 is not an octal digit');
    expect(why(() => num('0129'))).toMatch(/9 is not an octal digit/);
    for (const bad of ['0x', '1.5', '4k', 'K', '', '-', '--1', '+1', '1KK', '0xg', '12a', ' 1', '1e3', '0b1']) {
      expect(() => num(bad), bad).toThrow(ScenarioError);
    }
  });
  it('rejects numbers beyond 2^53', () => {
    expect(num('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(why(() => num('9007199254740992'))).toMatch(/too large/);
    expect(() => num('0xffffffffffffffff')).toThrow(ScenarioError);
    expect(() => num('8388608G')).toThrow(ScenarioError);
  });
  it('reads kernel arguments exactly up to 2^64-1: a number while safe, a bigint beyond', () => {
    const wide = (t: string): number | bigint => parseInt64(t, 7, 'OFF');
    expect(wide('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(wide('9007199254740993')).toBe(9007199254740993n);
    expect(wide('0x7fffffffffffffff')).toBe(2n ** 63n - 1n);
    expect(wide('0xffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(wide('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(wide('8388608G')).toBe(2n ** 53n);
    expect(wide('-0x8000000000000000')).toBe(-(2n ** 63n));
    expect(wide('-1')).toBe(-1);
    expect(why(() => wide('0x10000000000000000'))).toMatch(/too large \(the limit is 2\^64-1\)/);
    expect(wide('01777777777777777777777')).toBe(2n ** 64n - 1n);
    expect(why(() => wide('02000000000000000000000'))).toMatch(/too large/);
  });
  it('keeps 64-bit arguments exact from a line to an Op and back', () => {
    const line = 'p1 mmap A R 0x7ffffffffffff000 PROT_READ MAP_SHARED|MAP_FIXED F 0xfffffffffffff000';
    const op = parseLine(line, 1)!.op;
    expect(op).toMatchObject({ op: 'mmap', length: 2n ** 63n - 4096n, offset: 2n ** 64n - 4096n });
    expect(parseLine(formatOp(op), 1)!.op).toEqual(op);
    for (const text of ['p1 ftruncate F 0x7fffffffffffffff', 'p1 lseek F -0x8000000000000000 SEEK_SET', 'p1 pwrite F 0x8000000000000000 "x"', 'p1 mremap M A 9007199254740993 0x20000000000000 0']) {
      const parsed = parseLine(text, 1)!.op;
      expect(parseLine(formatOp(parsed), 1)!.op, text).toEqual(parsed);
    }
  });
});

describe('strings', () => {
  it('keeps plain characters and reads every escape as one byte', () => {
    expect(str('"hello world"')).toBe('hello world');
    expect(str('"a\\nb\\tc\\rd\\\\e\\"f\\0g"')).toBe('a\nb\tc\rd\\e"f\0g');
    expect(str('"\\x41\\x7f\\xff\\x0A"')).toBe('A\x7f\xff\n');
    expect(str('""')).toBe('');
    expect(str('"\\0\\0"')).toBe('\0\0');
  });
  it('reads \\0 as one NUL even before digits (not an octal escape)', () => {
    expect(str('"\\012"')).toBe('\x0012');
  });
  it('encodes other characters as UTF-8', () => {
    expect([...readString('"é"', 0, 7).bytes]).toEqual([0xc3, 0xa9]);
  });
  it('rejects other escapes, short \\x and unterminated strings', () => {
    expect(why(() => str('"\\q"'))).toMatch(/unknown escape "\\\\q"/);
    expect(() => str('"\\a"')).toThrow(ScenarioError);
    expect(() => str('"\\1"')).toThrow(ScenarioError);
    expect(why(() => str('"\\x4"'))).toMatch(/exactly two hex digits/);
    expect(() => str('"\\xg0"')).toThrow(ScenarioError);
    expect(why(() => str('"abc'))).toBe('unterminated string literal');
    expect(() => str('"abc\\"')).toThrow(ScenarioError);
    expect(() => str('"abc\\')).toThrow(ScenarioError);
  });
});

describe('splitLine: comments and expectations', () => {
  it('cuts at # outside strings', () => {
    expect(splitLine('p1 peek A 1 # c')).toEqual({ code: 'p1 peek A 1 ', expect: undefined });
    expect(splitLine('p1 poke A "#x" #c')).toEqual({ code: 'p1 poke A "#x" ', expect: undefined });
    expect(splitLine('p1 poke A "\\"#" #c').code).toBe('p1 poke A "\\"#" ');
    expect(splitLine('#only')).toEqual({ code: '', expect: undefined });
  });
  it('takes everything after the first => outside a string, comment removed, trimmed', () => {
    expect(splitLine('p1 peek A 6  =>  "a => b"   # not compared')).toEqual({ code: 'p1 peek A 6  ', expect: '"a => b"' });
    expect(splitLine('p1 poke A "a => b" => ok')).toEqual({ code: 'p1 poke A "a => b" ', expect: 'ok' });
    expect(splitLine('p1 x => a => b')).toEqual({ code: 'p1 x ', expect: 'a => b' });
    expect(splitLine('p1 peek A 1 => "#"')).toEqual({ code: 'p1 peek A 1 ', expect: '"#"' });
    expect(splitLine('p1 mincore A 0 =>')).toEqual({ code: 'p1 mincore A 0 ', expect: '' });
    expect(splitLine('p1 mincore A 0 =>\t \t')).toEqual({ code: 'p1 mincore A 0 ', expect: '' });
    expect(splitLine('p1 a=>b').expect).toBe('b');
  });
  it('ignores => inside a comment', () => {
    expect(splitLine('p1 peek A 1 # => x')).toEqual({ code: 'p1 peek A 1 ', expect: undefined });
  });
});

describe('tokenize', () => {
  it('splits on any run of spaces and tabs', () => {
    expect(tokenize(' p1\t\tpoke  A \t"x y" ', 7).map((t) => t.text)).toEqual(['p1', 'poke', 'A', '"x y"']);
  });
  it('requires string literals to stand alone', () => {
    expect(why(() => tokenize('p1 poke A "x"y', 7))).toMatch(/right after a string literal/);
    expect(why(() => tokenize('p1 poke A x"y"', 7))).toMatch(/must stand alone/);
  });
});

describe('flags', () => {
  const flags = (t: string, f: Parameters<typeof parseFlags>[1]): number => parseFlags(t, f, 7, 'PROT');
  it('ORs names and numbers of one family', () => {
    expect(flags('PROT_READ|PROT_WRITE', 'PROT')).toBe(PROT.PROT_READ | PROT.PROT_WRITE);
    expect(flags('PROT_NONE', 'PROT')).toBe(0);
    expect(flags('0', 'PROT')).toBe(0);
    expect(flags('MAP_SHARED|0x800000', 'MAP')).toBe(MAP.MAP_SHARED | 0x800000);
    expect(flags('O_RDWR|0100|O_EXCL', 'O')).toBe(O.O_RDWR | O.O_CREAT | O.O_EXCL);
    expect(flags('S_IRUSR|S_IWUSR', 'MODE')).toBe(S.S_IRUSR | S.S_IWUSR);
    expect(flags('0640', 'MODE')).toBe(0o640);
    expect(flags('SEEK_END', 'SEEK')).toBe(2);
    expect(flags('MADV_DONTNEED', 'MADV')).toBe(4);
    expect(flags('MREMAP_MAYMOVE|MREMAP_FIXED', 'MREMAP')).toBe(3);
    expect(flags('MS_SYNC|MS_INVALIDATE', 'MS')).toBe(6);
  });
  it('rejects names of another family, unknown names and empty parts', () => {
    expect(why(() => flags('MAP_SHARED', 'PROT'))).toBe('MAP_SHARED is a MAP_* name; PROT takes PROT_* names');
    expect(why(() => flags('PROT_READ|PROT_BOGUS', 'PROT'))).toMatch(/unknown flag "PROT_BOGUS"/);
    expect(why(() => flags('O_RDONLY', 'MODE'))).toMatch(/is a O_\* name; PROT takes S_I\* names/);
    expect(why(() => flags('PROT_READ|', 'PROT'))).toMatch(/empty part/);
    expect(() => flags('prot_read', 'PROT')).toThrow(ScenarioError);
    expect(() => flags('08', 'MODE')).toThrow(ScenarioError);
  });
});

describe('addresses', () => {
  const addr = (t: string) => parseAddress(t, 7, 'ADDR');
  it('reads numbers, M, M+OFF and M-OFF', () => {
    expect(addr('0')).toEqual({ offset: 0 });
    expect(addr('0x10000')).toEqual({ offset: 0x10000 });
    expect(addr('-4096')).toEqual({ offset: -4096 });
    expect(addr('A')).toEqual({ base: 'A', offset: 0 });
    expect(addr('A+4K')).toEqual({ base: 'A', offset: 4096 });
    expect(addr('_a1-0x10')).toEqual({ base: '_a1', offset: -16 });
    expect(addr('A-0')).toEqual({ base: 'A', offset: 0 });
    expect(addr('A+010000')).toEqual({ base: 'A', offset: 4096 });
  });
  it('rejects more than one offset, empty offsets and bad names', () => {
    expect(why(() => addr('A+4K-2'))).toMatch(/more than one offset/);
    expect(() => addr('A+4K+2')).toThrow(ScenarioError);
    expect(() => addr('A+')).toThrow(ScenarioError);
    expect(() => addr('A+-1')).toThrow(ScenarioError);
    expect(() => addr('A--1')).toThrow(ScenarioError);
    expect(() => addr('1A')).toThrow(ScenarioError);
    expect(() => addr('A*2')).toThrow(ScenarioError);
  });
});
