import { describe, expect, it } from 'vitest';
import { fnv1a32, formatErrno, formatFnv, quoteBytes, readString, shmPath, transcriptLine } from '../src/index';
import { decodeText, encodeText } from '@tskern/test-kit';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('quoteBytes', () => {
  it('prints 0x20..0x7e except " and \\ as themselves', () => {
    let all = '';
    for (let b = 0x20; b <= 0x7e; b++) if (b !== 0x22 && b !== 0x5c) all += String.fromCharCode(b);
    expect(quoteBytes(encodeText(all))).toBe(`"${all}"`);
  });
  it('prints every other byte as lower-case \\xNN', () => {
    expect(quoteBytes(bytes(0x22, 0x5c, 0, 10, 0x1f, 0x7f, 0x80, 0xff, 0xab))).toBe('"\\x22\\x5c\\x00\\x0a\\x1f\\x7f\\x80\\xff\\xab"');
    expect(quoteBytes(bytes())).toBe('""');
  });
  it('prints what the lexer reads back as the same bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = quoteBytes(all);
    expect(readString(text, 0, 1).bytes).toEqual(all);
  });
  it('matches the spec example of strings-every-escape', () => {
    const { bytes: b } = readString('"a\\nb\\tc\\rd\\\\e\\"f\\0g\\x7fh\\xffi\\x41\\x0A"', 0, 1);
    expect(b).toHaveLength(19);
    expect(quoteBytes(b)).toBe('"a\\x0ab\\x09c\\x0dd\\x5ce\\x22f\\x00g\\x7fh\\xffiA\\x0a"');
  });
});

describe('results', () => {
  it('names errnos', () => {
    expect(formatErrno(-22)).toBe('-EINVAL');
    expect(formatErrno(-12)).toBe('-ENOMEM');
    expect(formatErrno(-4000)).toBe('-E4000');
  });
  it('hashes with 32-bit FNV-1a', () => {
    expect(formatFnv(fnv1a32())).toBe('fnv=0x811c9dc5');
    expect(formatFnv(fnv1a32(encodeText('a')))).toBe('fnv=0xe40c292c');
    expect(formatFnv(fnv1a32(encodeText('foobar')))).toBe('fnv=0xbf9cf968');
    const whole = fnv1a32(encodeText('hello world'));
    const parts = fnv1a32(encodeText(' world'), fnv1a32(encodeText('hello')));
    expect(parts).toBe(whole);
    expect(formatFnv(0x1)).toBe('fnv=0x00000001');
  });
  it('prints LINE: RESULT, and LINE: for an empty result', () => {
    expect(transcriptLine(12, 'ok')).toBe('12: ok');
    expect(transcriptLine(3, '')).toBe('3: ');
  });
});

describe('shmPath (glibc __shm_get_name)', () => {
  const path = (s: string): string | undefined => {
    const r = shmPath(encodeText(s));
    return r.ok ? decodeText(r.path) : r.why;
  };
  it('strips leading slashes and prefixes /dev/shm/', () => {
    expect(path('/seg')).toBe('/dev/shm/seg');
    expect(path('///seg')).toBe('/dev/shm/seg');
    expect(path('seg')).toBe('/dev/shm/seg');
  });
  it('rejects empty names and names holding another /', () => {
    expect(path('')).toBe('empty');
    expect(path('/')).toBe('empty');
    expect(path('//')).toBe('empty');
    expect(path('/a/b')).toBe('slash');
    expect(path('a/')).toBe('slash');
  });
  it('passes names up to 259 bytes (the kernel checks NAME_MAX) and refuses longer ones', () => {
    expect(path('/' + 'x'.repeat(255))).toBe('/dev/shm/' + 'x'.repeat(255));
    expect(path('/' + 'x'.repeat(259))).toBe('/dev/shm/' + 'x'.repeat(259));
    expect(path('/' + 'x'.repeat(260))).toBe('too long');
    expect(path('x'.repeat(1000))).toBe('too long');
    expect(path('x'.repeat(300) + '/')).toBe('slash');
  });
});
