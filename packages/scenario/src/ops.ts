/**
 * The operations of the `.scn` language (docs/scenario-language.md, "Operations")
 * as typed values, and `parseLine`, which turns one line of text into one.
 *
 * Parsing is purely syntactic: whether a name is bound, and to what, is known
 * only while running (a failed mmap unbinds its name), so the runner checks
 * names. `formatOp` (in format.ts) prints an `Op` back as scenario text.
 */
import { shmObjectPath, type FlagFamily } from '@tskern/abi';
import { ScenarioError } from './errors';
import { isName, parseAddress, parseFlags, parseInt64, parseNumber, splitLine, tokenize, type Address, type Int64, type Token } from './lexer';
import { quoteBytes } from './quote';

export type { Address } from './lexer';

/** mmap's F: an fd variable, or a number such as `-1`. */
export type FdArg = { readonly kind: 'var'; readonly name: string } | { readonly kind: 'number'; readonly value: number };

type On<Name extends string, Fields> = { readonly op: Name; readonly proc: string } & { readonly [K in keyof Fields]: Fields[K] };

/** One operation; `proc` is the label of the process that makes it. */
export type Op =
  | On<'fork', { child: string }>
  | On<'exit', object>
  | On<'exec', object>
  | On<'open', { fd: string; path: Uint8Array; flags: number; mode: number }>
  | On<'shm_open', { fd: string; name: Uint8Array; flags: number; mode: number }>
  | On<'shm_unlink', { name: Uint8Array }>
  | On<'unlink', { path: Uint8Array }>
  | On<'close', { fd: string }>
  | On<'dup', { fd: string; newFd: string }>
  | On<'ftruncate', { fd: string; length: Int64 }>
  | On<'write', { fd: string; data: Uint8Array }>
  | On<'pwrite', { fd: string; offset: Int64; data: Uint8Array }>
  | On<'read', { fd: string; length: number }>
  | On<'pread', { fd: string; offset: Int64; length: number }>
  | On<'lseek', { fd: string; offset: Int64; whence: number }>
  | On<'fstat', { fd: string }>
  | On<'mmap', { map: string; addr: Address; length: Int64; prot: number; flags: number; fd: FdArg; offset: Int64 }>
  | On<'munmap', { addr: Address; length: Int64 }>
  | On<'mprotect', { addr: Address; length: Int64; prot: number }>
  | On<'msync', { addr: Address; length: Int64; flags: number }>
  | On<'mremap', { map: string; addr: Address; oldLength: Int64; newLength: Int64; flags: number; newAddr: Address | undefined }>
  | On<'madvise', { addr: Address; length: Int64; advice: number }>
  | On<'mincore', { addr: Address; length: number }>
  | On<'poke', { addr: Address; data: Uint8Array }>
  | On<'fill', { addr: Address; length: number; byte: number }>
  | On<'peek', { addr: Address; length: number }>
  | On<'sum', { addr: Address; length: number }>
  | On<'eq', { a: Address; b: Address }>
  | On<'maps', { addr: Address; length: number }>;

export type OpName = Op['op'];

/** The operation of a given name. */
export type OpOf<N extends OpName> = Extract<Op, { op: N }>;

/** Each operation's arguments as the spec writes them (`[X]` is optional). */
export const OPERATIONS: { readonly [N in OpName]: string } = {
  fork: 'Q',
  exit: '',
  exec: '',
  open: 'F PATH FLAGS [MODE]',
  shm_open: 'F NAME FLAGS [MODE]',
  shm_unlink: 'NAME',
  unlink: 'PATH',
  close: 'F',
  dup: 'F G',
  ftruncate: 'F LEN',
  write: 'F DATA',
  pwrite: 'F OFF DATA',
  read: 'F LEN',
  pread: 'F OFF LEN',
  lseek: 'F OFF WHENCE',
  fstat: 'F',
  mmap: 'M ADDR LEN PROT FLAGS F OFF',
  munmap: 'ADDR LEN',
  mprotect: 'ADDR LEN PROT',
  msync: 'ADDR LEN FLAGS',
  mremap: 'M ADDR OLDLEN NEWLEN FLAGS [NEWADDR]',
  madvise: 'ADDR LEN ADVICE',
  mincore: 'ADDR LEN',
  poke: 'ADDR DATA',
  fill: 'ADDR LEN BYTE',
  peek: 'ADDR LEN',
  sum: 'ADDR LEN',
  eq: 'ADDR ADDR',
  maps: 'ADDR LEN',
};

/** Names of the operations, in the spec's order. */
export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];

/** The default MODE of open and shm_open. */
export const DEFAULT_MODE = 0o666;

/** One operation line of a scenario. */
export interface ParsedLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly op: Op;
  /** The inline expectation (` => EXPECTED`), or undefined. */
  readonly expect: string | undefined;
}

/** Absolute paths in a scenario lie under the shm directory: `/dev/shm/`. */
const SHM_PREFIX = shmObjectPath('');

function arity(name: OpName): { min: number; max: number } {
  const words = OPERATIONS[name].split(' ').filter((w) => w !== '');
  return { min: words.filter((w) => !w.startsWith('[')).length, max: words.length };
}

function plural(n: number): string {
  return n === 1 ? '1 argument' : `${n} arguments`;
}

/**
 * Parse one line of a scenario (without its newline). Returns null for a
 * blank or comment-only line; throws a ScenarioError for a malformed one.
 */
export function parseLine(text: string, line: number): ParsedLine | null {
  const { code, expect } = splitLine(text);
  const tokens = tokenize(code, line);
  if (tokens.length === 0) {
    if (expect !== undefined) throw new ScenarioError(line, "'=>' without an operation");
    return null;
  }
  const [procTok, opTok, ...args] = tokens as [Token, ...Token[]];
  if (procTok.kind !== 'word' || !isName(procTok.text)) {
    throw new ScenarioError(line, `a line must start with a process label, got ${procTok.text}`);
  }
  if (opTok === undefined) throw new ScenarioError(line, `missing operation after process label ${procTok.text}`);
  if (opTok.kind !== 'word' || !Object.prototype.hasOwnProperty.call(OPERATIONS, opTok.text)) {
    throw new ScenarioError(line, `unknown operation ${opTok.text}`);
  }
  const name = opTok.text as OpName;
  const { min, max } = arity(name);
  if (args.length < min || args.length > max) {
    const takes = min === max ? plural(min) : `${min} or ${max} arguments`;
    const sig = OPERATIONS[name] === '' ? '' : ` (${OPERATIONS[name]})`;
    throw new ScenarioError(line, `${name} takes ${takes}${sig}, got ${args.length}`);
  }
  const op = buildOp(name, procTok.text, new Args(args, line, name));
  return { line, op, expect };
}

/** Typed access to the argument tokens of one line, with errors that name the argument. */
class Args {
  private readonly what: string[];
  constructor(
    private readonly tokens: Token[],
    private readonly line: number,
    private readonly opName: OpName,
  ) {
    this.what = OPERATIONS[opName].split(' ').map((w) => w.replace(/[[\]]/g, ''));
  }

  get count(): number {
    return this.tokens.length;
  }

  private label(i: number): string {
    return `${this.opName}'s ${this.what[i] ?? `argument ${i + 1}`}`;
  }

  private word(i: number): string {
    const t = this.tokens[i]!;
    if (t.kind !== 'word') throw new ScenarioError(this.line, `${this.label(i)} must not be a string literal, got ${t.text}`);
    return t.text;
  }

  private string(i: number): Uint8Array {
    const t = this.tokens[i]!;
    if (t.kind !== 'string') throw new ScenarioError(this.line, `${this.label(i)} must be a string literal, got ${t.text}`);
    return t.bytes;
  }

  name(i: number): string {
    const w = this.word(i);
    if (!isName(w)) throw new ScenarioError(this.line, `${this.label(i)} must be a name, got ${w}`);
    return w;
  }

  /** A signed number (offsets, lengths handed to the kernel as they are). */
  int(i: number): number {
    return parseNumber(this.word(i), this.line, this.label(i), true);
  }

  /** A number handed to the kernel as a register value: exact over 64 bits (Int64). */
  wide(i: number): Int64 {
    return parseInt64(this.word(i), this.line, this.label(i), true);
  }

  /** A non-negative number (lengths the runner itself reads or writes). */
  count_(i: number): number {
    return parseNumber(this.word(i), this.line, this.label(i), false);
  }

  byte(i: number): number {
    const v = parseNumber(this.word(i), this.line, this.label(i), true);
    if (v < 0 || v > 255) throw new ScenarioError(this.line, `${this.label(i)} ${this.word(i)} is out of range 0..255`);
    return v;
  }

  flags(i: number, family: FlagFamily): number {
    return parseFlags(this.word(i), family, this.line, this.label(i));
  }

  addr(i: number): Address {
    return parseAddress(this.word(i), this.line, this.label(i));
  }

  fdOrNumber(i: number): FdArg {
    const w = this.word(i);
    if (/^[-0-9]/.test(w)) return { kind: 'number', value: parseNumber(w, this.line, this.label(i), true) };
    if (!isName(w)) throw new ScenarioError(this.line, `${this.label(i)} must be an fd variable or a number, got ${w}`);
    return { kind: 'var', name: w };
  }

  data(i: number): Uint8Array {
    return this.string(i);
  }

  /** A path: no NUL byte; absolute only under /dev/shm/. */
  path(i: number): Uint8Array {
    const bytes = this.string(i);
    if (bytes.includes(0)) throw new ScenarioError(this.line, `${this.label(i)} ${this.tokens[i]!.text} holds a NUL byte`);
    if (bytes[0] !== 0x2f) return bytes;
    if (!startsWith(bytes, SHM_PREFIX)) {
      throw new ScenarioError(
        this.line,
        `${this.label(i)} ${quoteBytes(bytes)} is an absolute path outside ${SHM_PREFIX} (use a relative path: it resolves in the scratch directory)`,
      );
    }
    // `/dev/shm/.` and `/dev/shm/..` name /dev/shm itself or leave it.
    let j = SHM_PREFIX.length;
    while (bytes[j] === 0x2f) j++;
    let k = j;
    while (k < bytes.length && bytes[k] !== 0x2f) k++;
    const first = new TextDecoder().decode(bytes.subarray(j, k));
    if (first === '.' || first === '..') {
      throw new ScenarioError(this.line, `${this.label(i)} ${quoteBytes(bytes)} does not name an object under ${SHM_PREFIX}`);
    }
    return bytes;
  }

  /** An shm name: no NUL byte (glibc and the kernel check the rest). */
  shmName(i: number): Uint8Array {
    const bytes = this.string(i);
    if (bytes.includes(0)) throw new ScenarioError(this.line, `${this.label(i)} ${this.tokens[i]!.text} holds a NUL byte`);
    return bytes;
  }

  mode(i: number): number {
    return i < this.count ? this.flags(i, 'MODE') : DEFAULT_MODE;
  }
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function buildOp(op: OpName, proc: string, a: Args): Op {
  switch (op) {
    case 'fork':
      return { op, proc, child: a.name(0) };
    case 'exit':
    case 'exec':
      return { op, proc };
    case 'open':
      return { op, proc, fd: a.name(0), path: a.path(1), flags: a.flags(2, 'O'), mode: a.mode(3) };
    case 'shm_open':
      return { op, proc, fd: a.name(0), name: a.shmName(1), flags: a.flags(2, 'O'), mode: a.mode(3) };
    case 'shm_unlink':
      return { op, proc, name: a.shmName(0) };
    case 'unlink':
      return { op, proc, path: a.path(0) };
    case 'close':
    case 'fstat':
      return { op, proc, fd: a.name(0) };
    case 'dup':
      return { op, proc, fd: a.name(0), newFd: a.name(1) };
    case 'ftruncate':
      return { op, proc, fd: a.name(0), length: a.wide(1) };
    case 'write':
      return { op, proc, fd: a.name(0), data: a.data(1) };
    case 'pwrite':
      return { op, proc, fd: a.name(0), offset: a.wide(1), data: a.data(2) };
    case 'read':
      return { op, proc, fd: a.name(0), length: a.count_(1) };
    case 'pread':
      return { op, proc, fd: a.name(0), offset: a.wide(1), length: a.count_(2) };
    case 'lseek':
      return { op, proc, fd: a.name(0), offset: a.wide(1), whence: a.flags(2, 'SEEK') };
    case 'mmap':
      return {
        op,
        proc,
        map: a.name(0),
        addr: a.addr(1),
        length: a.wide(2),
        prot: a.flags(3, 'PROT'),
        flags: a.flags(4, 'MAP'),
        fd: a.fdOrNumber(5),
        offset: a.wide(6),
      };
    case 'munmap':
      return { op, proc, addr: a.addr(0), length: a.wide(1) };
    case 'mincore':
      return { op, proc, addr: a.addr(0), length: a.int(1) };
    case 'mprotect':
      return { op, proc, addr: a.addr(0), length: a.wide(1), prot: a.flags(2, 'PROT') };
    case 'msync':
      return { op, proc, addr: a.addr(0), length: a.wide(1), flags: a.flags(2, 'MS') };
    case 'mremap':
      return {
        op,
        proc,
        map: a.name(0),
        addr: a.addr(1),
        oldLength: a.wide(2),
        newLength: a.wide(3),
        flags: a.flags(4, 'MREMAP'),
        newAddr: a.count > 5 ? a.addr(5) : undefined,
      };
    case 'madvise':
      return { op, proc, addr: a.addr(0), length: a.wide(1), advice: a.flags(2, 'MADV') };
    case 'poke':
      return { op, proc, addr: a.addr(0), data: a.data(1) };
    case 'fill':
      return { op, proc, addr: a.addr(0), length: a.count_(1), byte: a.byte(2) };
    case 'peek':
    case 'sum':
    case 'maps':
      return { op, proc, addr: a.addr(0), length: a.count_(1) };
    case 'eq':
      return { op, proc, a: a.addr(0), b: a.addr(1) };
  }
}

/**
 * Split a scenario text into lines as the runner numbers them: on `\n`, with
 * one trailing `\r` removed (CRLF files), and no extra line after a final
 * newline.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Parse a whole scenario (stops at the first error, which it throws). */
export function parseScenario(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  splitLines(text).forEach((t, i) => {
    const p = parseLine(t, i + 1);
    if (p) out.push(p);
  });
  return out;
}
