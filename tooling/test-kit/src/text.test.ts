import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { decodeCStrings, decodeText, encodeCString, encodeText, ok } from './index';

describe('text helpers', () => {
  it('round-trips UTF-8 and terminates C strings', () => {
    expect([...encodeText('é')]).toEqual([0xc3, 0xa9]);
    expect(decodeText(encodeText('héllo'))).toBe('héllo');
    expect([...encodeCString('ab')]).toEqual([0x61, 0x62, 0]);
    expect(decodeCStrings([encodeCString('sh'), encodeCString('')])).toEqual(['sh', '']);
  });

  it('refuses a string without its NUL', () => {
    expect(() => decodeCStrings([encodeText('sh')])).toThrow('not NUL-terminated: "sh"');
  });
});

describe('ok', () => {
  it('passes a value through and names the errno of a failure', () => {
    const file = { fd: 3 };
    expect(ok<typeof file>(file)).toBe(file);
    expect(() => ok(-Errno.EACCES, 'open /x')).toThrow('open /x failed: -EACCES (-13)');
  });
});
