import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { formatMemoryLimit, NO_LIMIT, parseMemoryLimit } from './index';

// page_counter_memparse over memparse (lib/cmdline.c): bytes, a base prefix
// and an optional binary suffix, rounded down to pages; "max" no limit.
describe('parseMemoryLimit', () => {
  it('reads bytes, suffixes and base prefixes, rounding down to pages', () => {
    expect(parseMemoryLimit('268435456\n')).toBe(65536);
    expect(parseMemoryLimit('12345')).toBe(3);
    expect(parseMemoryLimit('4095')).toBe(0);
    expect(parseMemoryLimit('1k')).toBe(0);
    expect(parseMemoryLimit('8K')).toBe(2);
    expect(parseMemoryLimit('256M')).toBe(65536);
    expect(parseMemoryLimit('1g')).toBe(262144);
    expect(parseMemoryLimit('0x2000')).toBe(2);
    expect(parseMemoryLimit('020000')).toBe(2);
    expect(parseMemoryLimit('')).toBe(0);
    expect(parseMemoryLimit(' max \n')).toBe(NO_LIMIT);
    expect(parseMemoryLimit('9999999999999999999999')).toBe(NO_LIMIT);
  });

  it('refuses signs, junk and a lone suffix', () => {
    for (const t of ['-1', '+1', 'abc', '12x', 'K', '1 K', 'maxx']) expect(parseMemoryLimit(t)).toBe(-Errno.EINVAL);
  });

  it('formats a limit as bytes or "max"', () => {
    expect(formatMemoryLimit(3)).toBe('12288\n');
    expect(formatMemoryLimit(NO_LIMIT)).toBe('max\n');
  });
});
