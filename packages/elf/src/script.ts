import { Errno } from '@tskern/abi';

/** A `#!` line as binfmt_script reads it: the interpreter path and at most one argument (raw bytes, no NUL). */
export interface ScriptLine {
  readonly interpreter: Uint8Array;
  /** Everything after the interpreter name and its blanks, to the end of the line (trailing blanks cut), or null. */
  readonly argument: Uint8Array | null;
}

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;

function spacetab(c: number | undefined): boolean {
  return c === SPACE || c === TAB;
}

/** The first index in [first, last] that is not a blank, or -1. */
function nextNonSpacetab(buf: Uint8Array, first: number, last: number): number {
  for (let i = first; i <= last; i++) if (!spacetab(buf[i])) return i;
  return -1;
}

/** The first index in [first, last] that is a blank or a NUL, or -1. */
function nextTerminator(buf: Uint8Array, first: number, last: number): number {
  for (let i = first; i <= last; i++) if (spacetab(buf[i]) || buf[i] === 0) return i;
  return -1;
}

/** strnchr: the first `c` before a NUL within the buffer, or -1. */
function strnchr(buf: Uint8Array, c: number): number {
  for (let i = 0; i < buf.length && buf[i] !== 0; i++) if (buf[i] === c) return i;
  return -1;
}

/** The C string at `from`, cut at `end` or at the first NUL before it. */
function cString(buf: Uint8Array, from: number, end: number): Uint8Array {
  const nul = buf.subarray(from, end).indexOf(0);
  return buf.slice(from, nul < 0 ? end : from + nul);
}

/**
 * Parse the `#!` line of `buf` (the first BINPRM_BUF_SIZE bytes of the
 * file, zero-padded), as fs/binfmt_script.c's load_script: -ENOEXEC unless
 * it starts with `#!`; the line ends at the first newline; without one (a
 * line longer than the buffer) the interpreter path must be followed by a
 * blank or a NUL within the buffer, or it may be truncated (-ENOEXEC), and
 * the line is cut before the buffer's last byte; trailing blanks go; the
 * interpreter is the first word (-ENOEXEC when there is none); the rest of
 * the line, from its first non-blank, is one argument.
 */
export function parseScriptLine(buf: Uint8Array): ScriptLine | number {
  if (buf[0] !== 0x23 || buf[1] !== 0x21) return -Errno.ENOEXEC;
  const bufEnd = buf.length - 1;
  let end = strnchr(buf, NEWLINE);
  if (end < 0) {
    const start = nextNonSpacetab(buf, 2, bufEnd);
    if (start < 0) return -Errno.ENOEXEC;
    if (nextTerminator(buf, start, bufEnd) < 0) return -Errno.ENOEXEC;
    end = bufEnd;
  }
  while (spacetab(buf[end - 1])) end--;
  const name = nextNonSpacetab(buf, 2, end);
  if (name < 0 || name === end) return -Errno.ENOEXEC;
  const sep = nextTerminator(buf, name, end);
  const arg = sep >= 0 && buf[sep] !== 0 ? nextNonSpacetab(buf, sep, end) : -1;
  const hasArg = arg >= 0 && arg < end;
  return {
    interpreter: cString(buf, name, hasArg ? sep : end),
    argument: hasArg ? cString(buf, arg, end) : null,
  };
}

/** Whether `buf` is a script for binfmt_script (it starts with `#!`). */
export function isScript(buf: Uint8Array): boolean {
  return buf[0] === 0x23 && buf[1] === 0x21;
}
