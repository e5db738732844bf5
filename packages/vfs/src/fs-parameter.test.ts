import { describe, expect, it } from 'vitest';
import { parseFsId, parseFsU32 } from './fs-parameter';

// kstrtouint's rules (lib/kstrtox.c); host Linux: tmpfs "mode=9" and "uid=4294967295" are EINVAL, "mode=700" is 0700.
describe('fs_parser u32 and id parameters', () => {
  it('takes digits of the base, an optional + and one trailing newline', () => {
    expect(parseFsU32('700', 8)).toBe(0o700);
    expect(parseFsU32('+17\n', 8)).toBe(0o17);
    expect(parseFsU32('0x1f', 16)).toBe(31);
    expect(parseFsU32('9', 8)).toBeNull();
    expect(parseFsU32('', 10)).toBeNull();
    expect(parseFsU32(null, 10)).toBeNull();
    expect(parseFsU32('-1', 10)).toBeNull();
    expect(parseFsU32('4294967296', 10)).toBeNull();
  });

  it('an id is any u32 but (uid_t)-1', () => {
    expect(parseFsId('1000')).toBe(1000);
    expect(parseFsId('4294967295')).toBeNull();
  });
});
