import { Errno } from '@tskern/abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kstrtobool, kstrtoint, kstrtoul, kstrtouint } from './kstrto';

describe('kstrto*', () => {
  it('read back every value they print, with or without one newline and a plus', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom('', '\n'), fc.constantFrom('', '+'), (n, nl, plus) => {
        expect(kstrtouint(`${plus}${n}${nl}`)).toBe(n);
        expect(kstrtoul(`${plus}${n}${nl}`)).toBe(BigInt(n));
      }),
      { numRuns: 50 },
    );
  });

  it('keep ranges: ERANGE past the type, EINVAL for bad text', () => {
    expect(kstrtouint('4294967296')).toBe(-Errno.ERANGE);
    expect(kstrtoul('18446744073709551615')).toBe(0xffff_ffff_ffff_ffffn);
    expect(kstrtoul('18446744073709551616')).toBe(-Errno.ERANGE);
    expect(kstrtoint('-2147483648')).toEqual({ value: -2147483648 });
    expect(kstrtoint('2147483648')).toBe(-Errno.ERANGE);
    for (const bad of ['', '\n', ' 1', '1 ', '0x10', '1\n\n', '-1']) expect(kstrtouint(bad), JSON.stringify(bad)).toBe(-Errno.EINVAL);
  });

  it('kstrtobool reads the first one or two characters', () => {
    expect([kstrtobool('yes'), kstrtobool('1x'), kstrtobool('On'), kstrtobool('no'), kstrtobool('0'), kstrtobool('oFf')]).toEqual([true, true, true, false, false, false]);
    expect([kstrtobool('o'), kstrtobool(''), kstrtobool('true')]).toEqual([-Errno.EINVAL, -Errno.EINVAL, -Errno.EINVAL]);
  });
});
