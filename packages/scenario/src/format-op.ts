/**
 * Print an `Op` back as a scenario line, so that generated scenarios (the
 * fuzzer) can be written as `.scn` files: `parseLine(formatOp(op))` gives
 * back an equal `Op`.
 */
import { formatFlags, type FlagFamily } from '@tskern/abi';
import type { Int64 } from './lexer';
import type { Address, FdArg, Op } from './ops';
import { quoteBytes } from './quote';

function num(n: Int64): string {
  if (typeof n === 'bigint') {
    // Exact over 64 bits, as parseInt64 reads it back.
    if (n >= 1n << 64n || n <= -(1n << 64n)) throw new RangeError(`beyond 64 bits: ${n}`);
    return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
  }
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return String(n);
}

function count(n: number): string {
  if (n < 0) throw new RangeError(`negative count: ${n}`);
  return num(n);
}

function flags(family: FlagFamily, value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`bad ${family} flags: ${value}`);
  if (value < 0) return String(value);
  if (family === 'MODE') return '0' + value.toString(8);
  if (value === 0) return '0';
  // formatFlags works on 32-bit sets; wider values print as one number.
  if (value > 0xffffffff) return '0x' + value.toString(16);
  return formatFlags(family, value);
}

/** An address as the lexer reads it: `M`, `M+0x..`, `M-0x..` or a number. */
export function formatAddress(a: Address): string {
  if (a.base === undefined) return num(a.offset);
  if (a.offset === 0) return a.base;
  const sign = a.offset > 0 ? '+' : '-';
  return `${a.base}${sign}0x${Math.abs(a.offset).toString(16)}`;
}

function fdArg(f: FdArg): string {
  return f.kind === 'var' ? f.name : num(f.value);
}

/** The operation as scenario text (without expectation or comment). */
export function formatOp(op: Op): string {
  const p = op.proc;
  switch (op.op) {
    case 'fork':
      return `${p} fork ${op.child}`;
    case 'exit':
    case 'exec':
      return `${p} ${op.op}`;
    case 'open':
      return `${p} open ${op.fd} ${quoteBytes(op.path)} ${flags('O', op.flags)} ${flags('MODE', op.mode)}`;
    case 'shm_open':
      return `${p} shm_open ${op.fd} ${quoteBytes(op.name)} ${flags('O', op.flags)} ${flags('MODE', op.mode)}`;
    case 'shm_unlink':
      return `${p} shm_unlink ${quoteBytes(op.name)}`;
    case 'unlink':
      return `${p} unlink ${quoteBytes(op.path)}`;
    case 'close':
    case 'fstat':
      return `${p} ${op.op} ${op.fd}`;
    case 'dup':
      return `${p} dup ${op.fd} ${op.newFd}`;
    case 'ftruncate':
      return `${p} ftruncate ${op.fd} ${num(op.length)}`;
    case 'write':
      return `${p} write ${op.fd} ${quoteBytes(op.data)}`;
    case 'pwrite':
      return `${p} pwrite ${op.fd} ${num(op.offset)} ${quoteBytes(op.data)}`;
    case 'read':
      return `${p} read ${op.fd} ${count(op.length)}`;
    case 'pread':
      return `${p} pread ${op.fd} ${num(op.offset)} ${count(op.length)}`;
    case 'lseek':
      return `${p} lseek ${op.fd} ${num(op.offset)} ${flags('SEEK', op.whence)}`;
    case 'mmap':
      return `${p} mmap ${op.map} ${formatAddress(op.addr)} ${num(op.length)} ${flags('PROT', op.prot)} ${flags('MAP', op.flags)} ${fdArg(op.fd)} ${num(op.offset)}`;
    case 'munmap':
    case 'mincore':
      return `${p} ${op.op} ${formatAddress(op.addr)} ${num(op.length)}`;
    case 'mprotect':
      return `${p} mprotect ${formatAddress(op.addr)} ${num(op.length)} ${flags('PROT', op.prot)}`;
    case 'msync':
      return `${p} msync ${formatAddress(op.addr)} ${num(op.length)} ${flags('MS', op.flags)}`;
    case 'mremap': {
      const base = `${p} mremap ${op.map} ${formatAddress(op.addr)} ${num(op.oldLength)} ${num(op.newLength)} ${flags('MREMAP', op.flags)}`;
      return op.newAddr === undefined ? base : `${base} ${formatAddress(op.newAddr)}`;
    }
    case 'madvise':
      return `${p} madvise ${formatAddress(op.addr)} ${num(op.length)} ${flags('MADV', op.advice)}`;
    case 'poke':
      return `${p} poke ${formatAddress(op.addr)} ${quoteBytes(op.data)}`;
    case 'fill':
      return `${p} fill ${formatAddress(op.addr)} ${count(op.length)} ${num(op.byte)}`;
    case 'peek':
    case 'sum':
    case 'maps':
      return `${p} ${op.op} ${formatAddress(op.addr)} ${count(op.length)}`;
    case 'eq':
      return `${p} eq ${formatAddress(op.a)} ${formatAddress(op.b)}`;
  }
}

/** A full line: the operation and, when given, ` => EXPECTED`. */
export function formatLine(op: Op, expect?: string): string {
  return expect === undefined ? formatOp(op) : `${formatOp(op)} => ${expect}`;
}
