import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { parseKernelUint } from './coredump-filter';

// Expected values: writes to /proc/self/coredump_filter on Linux 6.18.
describe('parseKernelUint (kstrtouint, base 0)', () => {
  it('reads hex, octal and decimal with an optional + and one trailing newline', () => {
    expect(['0x1\n', '0x7ff', '+3\n', '010', '0', '51'].map(parseKernelUint)).toEqual([1, 0x7ff, 3, 8, 0, 51]);
  });

  it('refuses blanks, junk and a second newline (EINVAL), and 2^32 (ERANGE)', () => {
    expect(['abc', ' 3', '3\n\n', '', '0x'].map(parseKernelUint)).toEqual(Array(5).fill(-Errno.EINVAL));
    expect(parseKernelUint('4294967296')).toBe(-Errno.ERANGE);
  });
});
