/**
 * The transcript printer's pieces (docs/scenario-language.md,
 * "Operations"): string literals, errno results, FNV-1a sums, the `LINE: `
 * prefix.
 */
import { errnoName } from '@tskern/abi';

const HEX = '0123456789abcdef';

/**
 * Bytes as a transcript string literal: in double quotes, 0x20..0x7e other
 * than `"` and `\` as themselves, every other byte as `\xNN` (lower-case).
 * The lexer reads the result back as the same bytes.
 */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    if (b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c) s += String.fromCharCode(b);
    else s += '\\x' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s + '"';
}

/** A failed syscall's result: `-ENAME` for a raw `-errno` value (`-22` -> `-EINVAL`). */
export function formatErrno(result: number): string {
  return `-${errnoName(-result)}`;
}

/** FNV-1a offset basis and prime (32-bit). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Incremental 32-bit FNV-1a: feed chunks, starting from `fnv1a32()`. */
export function fnv1a32(bytes: Uint8Array = new Uint8Array(0), hash = FNV_OFFSET): number {
  let h = hash;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

/** `sum`'s result: `fnv=0x%08x`. */
export function formatFnv(hash: number): string {
  return `fnv=0x${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

/** One transcript line (without newline): `LINE: RESULT`, `LINE: ` for an empty result. */
export function transcriptLine(line: number, result: string): string {
  return `${line}: ${result}`;
}
