/**
 * memparse (lib/cmdline.c): a number as simple_strtoull reads it with base
 * 0 (`0x` hex, a leading `0` octal, else decimal), times 1024 per step of an
 * optional K, M, G, T, P or E suffix (either case), modulo 2^64. Returns the
 * value and the unparsed rest (the caller fails on a rest it does not want).
 */
export function memparse(s: string): { value: bigint; rest: string } {
  let i = 0;
  let base = 10n;
  if (/^0x[0-9a-f]/i.test(s)) {
    base = 16n;
    i = 2;
  } else if (s.startsWith('0')) {
    base = 8n;
  }
  let value = 0n;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 16);
    if (Number.isNaN(d) || BigInt(d) >= base) break;
    value = (value * base + BigInt(d)) & 0xffff_ffff_ffff_ffffn;
  }
  const shift = 'kmgtpe'.indexOf((s[i] ?? '').toLowerCase());
  if (shift >= 0 && i < s.length) {
    value = (value << BigInt(10 * (shift + 1))) & 0xffff_ffff_ffff_ffffn;
    i++;
  }
  return { value, rest: s.slice(i) };
}
