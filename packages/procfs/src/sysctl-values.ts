import { Errno } from '@tskern/abi';
import type { Credentials } from '@tskern/vfs';

/**
 * A kernel setting under /proc/sys that the kernel owns: procfs reads and
 * writes it through this, never knowing where it lives. A string
 * (proc_dostring) holds at most `maxLength` - 1 bytes (a byte string, one
 * char per byte); an integer (proc_dointvec) is a C int; an unsigned long
 * (proc_doulongvec_minmax) a bigint below 2^64. `set` gets the writer's
 * credentials (the handlers that ask capable(), as mmap_min_addr_handler)
 * and answers 0 or -errno (a value out of range: EINVAL, as the _minmax
 * handlers). A value without `set` is read-only (mode 0444): a write is
 * EACCES, as proc_sys_call_handler's sysctl_perm.
 */
export type SysctlValue =
  | { readonly kind: 'string'; readonly maxLength: number; get(): string; set?(value: string, writer: Credentials): number }
  | { readonly kind: 'int'; get(): number; set?(value: number, writer: Credentials): number }
  | { readonly kind: 'ulong'; get(): bigint; set?(value: bigint, writer: Credentials): number };

/** One file of /proc/sys: its path below /proc/sys ("kernel/core_pattern"), mode and value. */
export interface SysctlEntry {
  readonly path: string;
  /** Permission bits; 0644 for a setting root may change. */
  readonly perm: number;
  readonly value: SysctlValue;
}

/** What a read at 0 shows: the value and a newline (proc_dostring, proc_dointvec). */
export function sysctlText(value: SysctlValue): string {
  return `${value.kind === 'string' ? value.get().slice(0, value.maxLength - 1) : String(value.get())}\n`;
}

/**
 * _proc_do_string's write under sysctl_writes_strict (the default): the
 * write continues the value at `pos` (nothing happens past its end), takes
 * bytes up to a NUL or newline and at most maxLength - 1 in all, and ends
 * the value there. The whole count is consumed.
 */
function writeString(value: Extract<SysctlValue, { kind: 'string' }>, pos: number, bytes: Uint8Array, writer: Credentials): number {
  if (value.set === undefined) return -Errno.EACCES;
  const old = value.get();
  if (pos > Math.min(old.length, value.maxLength - 1)) return bytes.length;
  let text = old.slice(0, pos);
  for (const b of bytes) {
    if (b === 0 || b === 0x0a || text.length >= value.maxLength - 1) break;
    text += String.fromCharCode(b);
  }
  const r = value.set(text, writer);
  return r < 0 ? r : bytes.length;
}

const INT_MAX = 2 ** 31 - 1;

/**
 * proc_dointvec's write (__do_proc_dointvec with one value): a write past
 * position 0 is ignored under sysctl_writes_strict; otherwise leading
 * white space, an optional '-', then a number in C's base 0 (0x hex,
 * leading-0 octal, decimal), which must end the text or be followed by a
 * space, tab or newline (what follows is ignored), and fit an int: else EINVAL.
 */
function writeInt(value: Extract<SysctlValue, { kind: 'int' }>, pos: number, bytes: Uint8Array, writer: Credentials): number {
  if (value.set === undefined) return -Errno.EACCES;
  if (pos !== 0) return bytes.length;
  const parsed = parseNumber(bytes);
  if (parsed === null) return -Errno.EINVAL;
  const n = parsed.negative ? -parsed.magnitude : parsed.magnitude;
  if (n > BigInt(INT_MAX) || n < BigInt(-INT_MAX - 1)) return -Errno.EINVAL;
  const r = value.set(Number(n), writer);
  return r < 0 ? r : bytes.length;
}

/**
 * proc_doulongvec_minmax's write with one value: as proc_dointvec's, but a
 * negative number or one past ULONG_MAX is EINVAL (host Linux 6.18:
 * "-1" and "18446744073709551616" to kernel/shmmax both EINVAL).
 */
function writeUlong(value: Extract<SysctlValue, { kind: 'ulong' }>, pos: number, bytes: Uint8Array, writer: Credentials): number {
  if (value.set === undefined) return -Errno.EACCES;
  if (pos !== 0) return bytes.length;
  const parsed = parseNumber(bytes);
  if (parsed === null || parsed.negative || parsed.magnitude > ULONG_MAX) return -Errno.EINVAL;
  const r = value.set(parsed.magnitude, writer);
  return r < 0 ? r : bytes.length;
}

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * proc_get_long: leading white space, an optional '-', then a number in C's
 * base 0 (0x hex, leading-0 octal, decimal), which must end the text or be
 * followed by a space, tab or newline (what follows is ignored). Null when
 * the text is not such a number.
 */
function parseNumber(bytes: Uint8Array): { negative: boolean; magnitude: bigint } | null {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  const m = /^[ \t\n\v\f\r]*(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[ \t\n][\s\S]*)?$/.exec(text);
  if (m === null) return null;
  const digits = m[2]!;
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return { negative: m[1] === '-', magnitude };
}

/** A write of `bytes` at `pos` to a sysctl by `writer`: the count consumed, or -errno. */
export function writeSysctl(value: SysctlValue, pos: number, bytes: Uint8Array, writer: Credentials): number {
  switch (value.kind) {
    case 'string':
      return writeString(value, pos, bytes, writer);
    case 'int':
      return writeInt(value, pos, bytes, writer);
    case 'ulong':
      return writeUlong(value, pos, bytes, writer);
  }
}

/**
 * The _minmax handlers' range check (proc_dointvec_minmax,
 * proc_doulongvec_minmax): a value outside [min, max] is EINVAL and
 * changes nothing; otherwise `apply` takes it.
 */
export function inRange<T extends number | bigint>(min: T, max: T, apply: (value: T, writer: Credentials) => number): (value: T, writer: Credentials) => number {
  return (value, writer) => (value < min || value > max ? -Errno.EINVAL : apply(value, writer));
}
