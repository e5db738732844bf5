/**
 * The lexical layer of the `.scn` language (docs/scenario-language.md, "Lines and
 * tokens", "Values"): comments, inline expectations, tokens, numbers, string literals,
 * flag expressions, names and addresses. Every function reports a bad token as
 * a `ScenarioError` at the given line.
 */
import { flagFamilies, lookupFlag, type FlagFamily } from '@tskern/abi';
import { ScenarioError } from './errors';

/** A line cut into its operation part and its inline expectation. */
export interface SplitLine {
  /** The text before the expectation and the comment (may be blank). */
  readonly code: string;
  /** Everything after the first `=>` outside a string, comment removed, trimmed; undefined without `=>`. */
  readonly expect: string | undefined;
}

/** A token of the operation part: a bare word or a string literal. */
export type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string; readonly bytes: Uint8Array };

const encoder = new TextEncoder();

/** Trim spaces and tabs (the format's only blanks). */
export function trimBlanks(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Cut a line at its comment (`#` outside a string literal) and at its first
 * `=>` outside a string literal. String literals are followed through the
 * expectation too, so `=> "a#b"` keeps its `#`.
 */
export function splitLine(text: string): SplitLine {
  let inString = false;
  let arrow = -1;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '#') {
      end = i;
      break;
    } else if (c === '=' && text[i + 1] === '>' && arrow < 0) {
      arrow = i;
      i++;
    }
  }
  if (arrow < 0) return { code: text.slice(0, end), expect: undefined };
  return { code: text.slice(0, arrow), expect: trimBlanks(text.slice(arrow + 2, end)) };
}

/** Split the operation part into words and string literals (separated by spaces or tabs). */
export function tokenize(code: string, line: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      const { bytes, next } = readString(code, i, line);
      if (next < code.length && code[next] !== ' ' && code[next] !== '\t') {
        throw new ScenarioError(line, `unexpected ${JSON.stringify(code.slice(next, next + 10))} right after a string literal`);
      }
      tokens.push({ kind: 'string', text: code.slice(i, next), bytes });
      i = next;
      continue;
    }
    let j = i;
    while (j < code.length && code[j] !== ' ' && code[j] !== '\t') {
      if (code[j] === '"') {
        throw new ScenarioError(line, `a string literal must stand alone, not inside ${JSON.stringify(code.slice(i, j + 1) + '...')}`);
      }
      j++;
    }
    tokens.push({ kind: 'word', text: code.slice(i, j) });
    i = j;
  }
  return tokens;
}

const simpleEscapes: Record<string, number> = { n: 0x0a, t: 0x09, r: 0x0d, '\\': 0x5c, '"': 0x22, '0': 0x00 };

/**
 * Read the string literal that starts at `code[start]` (a `"`). Characters
 * other than escapes stand for their UTF-8 bytes. Returns the bytes and the
 * index after the closing quote.
 */
export function readString(code: string, start: number, line: number): { bytes: Uint8Array; next: number } {
  const out: number[] = [];
  let i = start + 1;
  let plainFrom = i;
  const flushPlain = (to: number): void => {
    if (to > plainFrom) for (const b of encoder.encode(code.slice(plainFrom, to))) out.push(b);
  };
  while (i < code.length) {
    const c = code[i];
    if (c === '"') {
      flushPlain(i);
      return { bytes: Uint8Array.from(out), next: i + 1 };
    }
    if (c !== '\\') {
      i++;
      continue;
    }
    flushPlain(i);
    const e = code[i + 1];
    if (e === undefined) break;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out.push(simple);
      i += 2;
    } else if (e === 'x') {
      const hex = code.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new ScenarioError(line, `\\x must be followed by exactly two hex digits, got ${JSON.stringify('\\x' + hex)}`);
      }
      out.push(parseInt(hex, 16));
      i += 4;
    } else {
      throw new ScenarioError(line, `unknown escape ${JSON.stringify('\\' + e)} in a string literal (allowed: \\n \\t \\r \\\\ \\" \\0 \\xNN)`);
    }
    plainFrom = i;
  }
  throw new ScenarioError(line, 'unterminated string literal');
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `text` is a name (`[A-Za-z_][A-Za-z0-9_]*`). */
export function isName(text: string): boolean {
  return NAME_RE.test(text);
}

const SUFFIX: Record<string, bigint> = { K: 1024n, M: 1024n * 1024n, G: 1024n * 1024n * 1024n };

/**
 * A number the runner hands to the kernel as a register value: exact over 64
 * bits. A JavaScript number while it is a safe integer (|v| <= 2^53-1), a
 * bigint beyond (up to 2^64-1 in magnitude, as the Linux runner's lexer).
 */
export type Int64 = number | bigint;

const TWO_64 = 1n << 64n;

/**
 * Parse a number up to 2^64-1 in magnitude (a negative one stands for its
 * 64-bit two's complement, as in the Linux runner), exactly: a number while
 * safe, else a bigint. Same syntax as `parseNumber`.
 */
export function parseInt64(text: string, line: number, what: string, signed = true): Int64 {
  const value = parseBig(text, line, what, signed);
  if (value >= TWO_64 || value <= -TWO_64) {
    throw new ScenarioError(line, `number ${text} for ${what} is too large (the limit is 2^64-1)`);
  }
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * Parse a number: decimal, hex (`0x`), octal with a leading `0` (`08` is an
 * error), each with an optional `K`/`M`/`G` suffix; a leading `-` only when
 * `signed`. The value must be a safe integer (|v| < 2^53); arguments that go
 * to the kernel take 64-bit values through `parseInt64`.
 */
export function parseNumber(text: string, line: number, what: string, signed = true): number {
  const value = parseBig(text, line, what, signed);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ScenarioError(line, `number ${text} for ${what} is too large (the limit is 2^53-1)`);
  }
  return Number(value);
}

function parseBig(text: string, line: number, what: string, signed: boolean): bigint {
  let body = text;
  const negative = body.startsWith('-');
  if (negative) {
    if (!signed) throw new ScenarioError(line, `${what} must not be negative, got ${text}`);
    body = body.slice(1);
  }
  let scale = 1n;
  const last = body[body.length - 1];
  if (body.length > 1 && last !== undefined && SUFFIX[last] !== undefined) {
    scale = SUFFIX[last]!;
    body = body.slice(0, -1);
  }
  let value: bigint;
  if (/^0[xX]/.test(body)) {
    const digits = body.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(digits)) throw new ScenarioError(line, `bad hex number ${JSON.stringify(text)} for ${what}`);
    value = BigInt('0x' + digits);
  } else if (/^0[0-9]+$/.test(body)) {
    const bad = /[89]/.exec(body);
    if (bad) throw new ScenarioError(line, `bad octal number ${JSON.stringify(text)} for ${what}: ${bad[0]} is not an octal digit`);
    value = BigInt('0o' + body.slice(1));
  } else if (/^(0|[1-9][0-9]*)$/.test(body)) {
    value = BigInt(body);
  } else {
    throw new ScenarioError(line, `expected a number for ${what}, got ${JSON.stringify(text)}`);
  }
  value *= scale;
  return negative ? -value : value;
}

const familyPrefix: Record<FlagFamily, string> = {
  PROT: 'PROT_*',
  MAP: 'MAP_*',
  O: 'O_*',
  MS: 'MS_*',
  MREMAP: 'MREMAP_*',
  MADV: 'MADV_*',
  SEEK: 'SEEK_*',
  MODE: 'S_I*',
};

/**
 * Parse a flag expression of one family: names of that family and numbers
 * joined by `|` (`PROT_READ|PROT_WRITE`, `MAP_SHARED|0x800000`, `0`).
 */
export function parseFlags(text: string, family: FlagFamily, line: number, what: string): number {
  let value = 0n;
  for (const part of text.split('|')) {
    if (part === '') throw new ScenarioError(line, `empty part in flags ${JSON.stringify(text)} for ${what}`);
    if (/^[-0-9]/.test(part)) {
      value |= BigInt(parseNumber(part, line, what, true));
      continue;
    }
    const v = lookupFlag(family, part);
    if (v !== undefined) {
      value |= BigInt(v);
      continue;
    }
    const other = (Object.keys(flagFamilies) as FlagFamily[]).find((f) => lookupFlag(f, part) !== undefined);
    if (other) {
      throw new ScenarioError(line, `${part} is a ${familyPrefix[other]} name; ${what} takes ${familyPrefix[family]} names`);
    }
    throw new ScenarioError(line, `unknown flag ${JSON.stringify(part)} for ${what} (expected ${familyPrefix[family]} names or numbers)`);
  }
  return Number(value);
}

/** An address: `base + offset` where `base` is a mapping variable, or just `offset` when there is no base. */
export interface Address {
  readonly base?: string;
  readonly offset: number;
}

/** Parse an address: a number (`0` is NULL), `M`, `M+OFF` or `M-OFF` (one OFF only). */
export function parseAddress(text: string, line: number, what: string): Address {
  if (/^[-0-9]/.test(text)) return { offset: parseNumber(text, line, what) };
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:([+-])(.*))?$/.exec(text);
  if (!m) throw new ScenarioError(line, `expected an address (number, M, M+OFF or M-OFF) for ${what}, got ${JSON.stringify(text)}`);
  const base = m[1]!;
  if (m[2] === undefined) return { base, offset: 0 };
  const off = m[3]!;
  if (/[+-]/.test(off)) {
    throw new ScenarioError(line, `address ${JSON.stringify(text)} has more than one offset (write M+OFF or M-OFF with one number)`);
  }
  const n = parseNumber(off, line, `the offset of ${what}`, false);
  return { base, offset: m[2] === '-' && n !== 0 ? -n : n };
}
