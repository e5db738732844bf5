/**
 * kstrtouint as fs_parser's u32 parameters use it (fs/fs_parser.c,
 * lib/kstrtox.c): an optional `+`, digits of `base` only (a `0x` prefix
 * allowed in base 16), one trailing newline at most; null for anything else
 * or a value past 2^32 - 1 (fs_param_bad_value: the mount fails EINVAL).
 */
export function parseFsU32(value: string | null, base: 8 | 10 | 16): number | null {
  if (value === null) return null;
  let s = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (s.startsWith('+')) s = s.slice(1);
  if (base === 16 && /^0x/i.test(s)) s = s.slice(2);
  const digits = base === 8 ? /^[0-7]+$/ : base === 10 ? /^[0-9]+$/ : /^[0-9a-f]+$/i;
  if (!digits.test(s)) return null;
  const n = parseInt(s, base);
  return n > 0xffffffff ? null : n;
}

/**
 * fs_param_is_uid / fs_param_is_gid: a decimal u32 that names a valid id
 * (make_kuid: (uid_t)-1 is no id). Null for a bad value.
 */
export function parseFsId(value: string | null): number | null {
  const n = parseFsU32(value, 10);
  return n === null || n === 0xffffffff ? null : n;
}
