import { describe, expect, it } from 'vitest';
import { hex64 } from '../src/strace';

// strace prints pointers and addresses as the unsigned 64-bit register value.
describe('hex64', () => {
  it('prints -1 as 0xffffffffffffffff and positive values as they are', () => {
    expect(hex64(-1)).toBe('0xffffffffffffffff');
    expect(hex64(-4096)).toBe('0xfffffffffffff000');
    expect(hex64(0x7fff0000)).toBe('0x7fff0000');
  });
});
