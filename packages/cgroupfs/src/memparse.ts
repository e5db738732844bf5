import { Errno, PAGE_SIZE } from '@tskern/abi';
import { NO_LIMIT } from './memory-counter';

/** PAGE_COUNTER_MAX on a 64-bit kernel: LONG_MAX / PAGE_SIZE. */
const PAGE_COUNTER_MAX = (2n ** 63n - 1n) / BigInt(PAGE_SIZE);

const SUFFIX: Record<string, number> = { k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 };

/**
 * page_counter_memparse: the text of a write to memory.max, memory.high or
 * memory.swap.max, stripped of surrounding white space: "max" is no limit;
 * otherwise memparse's number (decimal, 0x hex or 0 octal, with an optional
 * K/M/G/T/P/E suffix) in bytes, rounded down to whole pages. Anything else
 * (a sign, trailing text) is EINVAL. Returns pages, NO_LIMIT or -EINVAL.
 */
export function parseMemoryLimit(text: string): number {
  const s = text.trim();
  if (s === 'max') return NO_LIMIT;
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?([kKmMgGtTpPeE])?$/.exec(s);
  if (m === null || (m[1] === undefined && m[2] !== undefined)) return -Errno.EINVAL;
  const digits = m[1] ?? '0';
  let bytes = digits.length > 1 && digits[0] === '0' && (digits[1] === 'x' || digits[1] === 'X') ? BigInt(digits) : digits[0] === '0' ? BigInt(`0o${digits.slice(1) || '0'}`) : BigInt(digits);
  if (m[2] !== undefined) bytes <<= BigInt(SUFFIX[m[2].toLowerCase()]!);
  const pages = bytes / BigInt(PAGE_SIZE);
  // min(bytes / PAGE_SIZE, PAGE_COUNTER_MAX): the largest counter reads back as "max".
  return pages >= PAGE_COUNTER_MAX ? NO_LIMIT : Number(pages);
}

/** seq_puts_memcg_tunable: "max" or the limit in bytes. */
export function formatMemoryLimit(pages: number): string {
  return Number.isFinite(pages) ? `${pages * PAGE_SIZE}\n` : 'max\n';
}

/**
 * cgroup_procs_write's pid: kstrtoint with base 0 of the stripped text, a
 * non-negative int; -EINVAL otherwise.
 */
export function parsePid(text: string): number {
  const s = text.trim().replace(/^\+/, '');
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) return -Errno.EINVAL;
  const v = s.length > 1 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') ? Number.parseInt(s.slice(2), 16) : s[0] === '0' ? Number.parseInt(s, 8) : Number.parseInt(s, 10);
  return v > 0x7fff_ffff ? -Errno.EINVAL : v;
}
