import { Errno } from '@tskern/abi';
import type { PidEntry } from './pid-entries';
import { SeqFile } from './seq-file';

/**
 * kstrtouint (lib/kstrtox.c) with base 0: an optional '+', then 0x hex,
 * leading-0 octal or decimal, then at most one newline; -EINVAL for
 * anything else, -ERANGE past 32 bits.
 */
export function parseKernelUint(text: string): number {
  const m = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\n?$/.exec(text);
  if (m === null) return -Errno.EINVAL;
  const digits = m[1]!;
  const n = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
  return n > 0xffffffff ? -Errno.ERANGE : n;
}

/**
 * coredump_filter (fs/proc/base.c proc_coredump_filter_read/_write):
 * the process's dump filter as eight hex digits and a newline, empty once
 * it has no memory; mode 0644. A write is a number as kstrtouint reads it
 * (EINVAL, ERANGE), ESRCH once the process is gone, and sets the filter
 * bits (the kernel keeps MMF_DUMP_FILTER_BITS of them); it consumes the count.
 */
export const coredumpFilter: PidEntry = {
  name: 'coredump_filter',
  perm: 0o644,
  available: (p) => p.coredumpFilter !== undefined,
  open: (dir) => {
    if (!dir.alive) return -Errno.ESRCH;
    const seq = new SeqFile(() => {
      if (!dir.alive) return -Errno.ESRCH;
      const filter = dir.processes.coredumpFilter?.(dir.pid);
      return new TextEncoder().encode(filter === undefined ? '' : `${filter.toString(16).padStart(8, '0')}\n`);
    });
    const write = (_pos: number, src: Uint8Array, srcOffset: number, length: number): number => {
      let text = '';
      for (let i = 0; i < length; i++) text += String.fromCharCode(src[srcOffset + i]!);
      const value = parseKernelUint(text);
      if (value < 0) return value;
      const set = dir.processes.setCoredumpFilter;
      if (set === undefined || !dir.alive) return -Errno.ESRCH;
      const r = set(dir.pid, value);
      return r < 0 ? r : length;
    };
    return { read: seq.read, release: seq.release, write };
  },
};
