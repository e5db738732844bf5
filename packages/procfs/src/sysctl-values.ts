import { Errno } from '@tskern/abi';

/**
 * A kernel setting under /proc/sys that the kernel owns: procfs reads and
 * writes it through this, never knowing where it lives. A string
 * (proc_dostring) holds at most `maxLength` - 1 bytes (a byte string, one
 * char per byte); an integer (proc_dointvec) is a C int. `set` answers 0 or
 * -errno (a value out of range: EINVAL, as the _minmax handlers).
 */
export type SysctlValue =
  | { readonly kind: 'string'; readonly maxLength: number; get(): string; set(value: string): number }
  | { readonly kind: 'int'; get(): number; set(value: number): number };

/** One file of /proc/sys: its path below /proc/sys ("kernel/core_pattern"), mode and value. */
export interface SysctlEntry {
  readonly path: string;
  /** Permission bits; 0644 for a setting root may change. */
  readonly perm: number;
  readonly value: SysctlValue;
}

/** What a read at 0 shows: the value and a newline (proc_dostring, proc_dointvec). */
export function sysctlText(value: SysctlValue): string {
  return `${value.kind === 'string' ? value.get().slice(0, value.maxLength - 1) : value.get()}\n`;
}

/**
 * _proc_do_string's write under sysctl_writes_strict (the default): the
 * write continues the value at `pos` (nothing happens past its end), takes
 * bytes up to a NUL or newline and at most maxLength - 1 in all, and ends
 * the value there. The whole count is consumed.
 */
function writeString(value: Extract<SysctlValue, { kind: 'string' }>, pos: number, bytes: Uint8Array): number {
  const old = value.get();
  if (pos > Math.min(old.length, value.maxLength - 1)) return bytes.length;
  let text = old.slice(0, pos);
  for (const b of bytes) {
    if (b === 0 || b === 0x0a || text.length >= value.maxLength - 1) break;
    text += String.fromCharCode(b);
  }
  const r = value.set(text);
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
function writeInt(value: Extract<SysctlValue, { kind: 'int' }>, pos: number, bytes: Uint8Array): number {
  if (pos !== 0) return bytes.length;
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  const m = /^[ \t\n\v\f\r]*(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[ \t\n][\s\S]*)?$/.exec(text);
  if (m === null) return -Errno.EINVAL;
  const digits = m[2]!;
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
  const n = m[1] === '-' ? -magnitude : magnitude;
  if (n > INT_MAX || n < -INT_MAX - 1) return -Errno.EINVAL;
  const r = value.set(n);
  return r < 0 ? r : bytes.length;
}

/** A write of `bytes` at `pos` to a sysctl: the count consumed, or -errno. */
export function writeSysctl(value: SysctlValue, pos: number, bytes: Uint8Array): number {
  return value.kind === 'string' ? writeString(value, pos, bytes) : writeInt(value, pos, bytes);
}
