import { Errno } from '@tskern/abi';

/**
 * The number parsers sysfs stores use (lib/kstrtox.c), base 10: an optional
 * '+' (and '-' for the signed ones), at least one digit, then at most one
 * newline and nothing else. No leading blanks. Bad text is -EINVAL, a value
 * out of the type's range -ERANGE.
 */
function parseDecimal(text: string, signed: boolean): bigint | number {
  let s = text;
  let negative = false;
  if (s.startsWith('-') && signed) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  const m = /^([0-9]+)\n?$/.exec(s);
  if (m === null) return -Errno.EINVAL;
  const value = BigInt(m[1]!);
  // _parse_integer stops at 2^64 - 1 (KSTRTOX_OVERFLOW).
  if (value > 0xffff_ffff_ffff_ffffn) return -Errno.ERANGE;
  return negative ? -value : value;
}

/** kstrtouint: an unsigned int (0 to 2^32 - 1), or -errno. */
export function kstrtouint(text: string): number {
  const v = parseDecimal(text, false);
  if (typeof v === 'number') return v;
  return v > 0xffff_ffffn ? -Errno.ERANGE : Number(v);
}

/** kstrtoint: an int (-2^31 to 2^31 - 1), as `{ value }`, or -errno. */
export function kstrtoint(text: string): { value: number } | number {
  const v = parseDecimal(text, true);
  if (typeof v === 'number') return v;
  return v < -0x8000_0000n || v > 0x7fff_ffffn ? -Errno.ERANGE : { value: Number(v) };
}

/** kstrtoul on a 64-bit kernel: an unsigned long, as a bigint, or -errno. */
export function kstrtoul(text: string): bigint | number {
  return parseDecimal(text, false);
}

/**
 * kstrtobool: y/Y/1/on mean true, n/N/0/off false, by the first one or two
 * characters only; anything else -EINVAL.
 */
export function kstrtobool(text: string): boolean | number {
  switch (text[0]) {
    case 'y': case 'Y': case '1':
      return true;
    case 'n': case 'N': case '0':
      return false;
    case 'o': case 'O':
      if (text[1] === 'n' || text[1] === 'N') return true;
      if (text[1] === 'f' || text[1] === 'F') return false;
      return -Errno.EINVAL;
    default:
      return -Errno.EINVAL;
  }
}

/** sysfs_streq: equal, ignoring one trailing newline on either side. */
export function sysfsStreq(a: string, b: string): boolean {
  const trim = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s);
  return trim(a) === trim(b);
}
