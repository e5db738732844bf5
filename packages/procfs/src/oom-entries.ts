import { CAP, Errno } from '@tskern/abi';
import { bytesFromByteString, capable } from '@tskern/vfs';
import type { PidEntry } from './pid-entries';
import { SeqFile } from './seq-file';

/** What /proc/[pid]/oom_score and oom_score_adj show of a process (see ProcessDirectory.oom). */
export interface OomFigures {
  /** signal_struct.oom_score_adj: -1000 (never chosen) .. 1000. */
  readonly scoreAdj: number;
  /** oom_score_adj_min: the lowest value a write without CAP_SYS_RESOURCE may set. */
  readonly scoreAdjMin: number;
  /** Resident pages (get_mm_rss). */
  readonly residentPages: number;
  /** Pages of RAM and swap (totalram_pages + total_swap_pages). */
  readonly totalPages: number;
  /** init (or a kernel thread): oom_unkillable_task, whose score is 0. */
  readonly unkillable: boolean;
}

const OOM_SCORE_ADJ_MIN = -1000;
const OOM_SCORE_ADJ_MAX = 1000;

/**
 * oom_score (proc_oom_score): the badness the OOM killer would give the
 * process, scaled into 0..2000 as `(1000 + badness * 1000 / totalpages) * 2 / 3`,
 * where badness (oom_badness) is the resident pages plus `adj * (totalpages / 1000)`;
 * 0 for an unkillable process or one at -1000.
 */
export function oomScore(f: OomFigures): number {
  if (f.unkillable || f.scoreAdj === OOM_SCORE_ADJ_MIN || f.totalPages === 0) return 0;
  const badness = f.residentPages + f.scoreAdj * Math.floor(f.totalPages / 1000);
  return Math.trunc(((1000 + Math.trunc((badness * 1000) / f.totalPages)) * 2) / 3);
}

/**
 * kstrtoint(s, 0) on the stripped text: an optional sign, then hex after
 * 0x, octal after a leading 0, else decimal, and nothing else. Answers the value, NaN for bad text (EINVAL)
 * or Infinity past the int range (ERANGE).
 */
export function parseKernelInt(text: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return Number.NaN;
  const digits = m[2]!;
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  return value < -(2n ** 31n) || value > 2n ** 31n - 1n ? Number.POSITIVE_INFINITY : Number(value);
}

const oomScoreEntry: PidEntry = {
  name: 'oom_score',
  perm: 0o444,
  available: (p) => p.oom !== undefined,
  open: (dir) =>
    new SeqFile(() => {
      const f = dir.alive ? dir.processes.oom?.(dir.pid) : undefined;
      return f === undefined ? -Errno.ESRCH : bytesFromByteString(`${oomScore(f)}\n`);
    }),
};

/** PROC_NUMBUF less the NUL: a write uses at most its first 12 bytes. */
const NUMBUF = 12;

/**
 * oom_score_adj (oom_score_adj_read / oom_score_adj_write, mode 0644): reads
 * the value and a newline. A write of a number (kstrtoint's syntax, blanks
 * stripped) in -1000..1000 sets it and answers the whole count; other text
 * is EINVAL, a value past int ERANGE, one outside the range EINVAL. Without
 * CAP_SYS_RESOURCE (euid 0 here) it may not go below oom_score_adj_min
 * (EACCES); with it, the value also becomes the new minimum (__set_oom_adj).
 */
const oomScoreAdjEntry: PidEntry = {
  name: 'oom_score_adj',
  perm: 0o644,
  available: (p) => p.oom !== undefined,
  open: (dir, caller) => {
    const seq = new SeqFile(() => {
      const f = dir.alive ? dir.processes.oom?.(dir.pid) : undefined;
      return f === undefined ? -Errno.ESRCH : bytesFromByteString(`${f.scoreAdj}\n`);
    });
    const write = (_pos: number, src: Uint8Array, srcOffset: number, length: number): number => {
      let text = '';
      for (let i = 0; i < Math.min(length, NUMBUF); i++) text += String.fromCharCode(src[srcOffset + i]!);
      const value = parseKernelInt(text.trim());
      if (Number.isNaN(value)) return -Errno.EINVAL;
      if (!Number.isFinite(value)) return -Errno.ERANGE;
      if (value < OOM_SCORE_ADJ_MIN || value > OOM_SCORE_ADJ_MAX) return -Errno.EINVAL;
      const f = dir.alive ? dir.processes.oom?.(dir.pid) : undefined;
      const set = dir.processes.setOomScoreAdj;
      if (f === undefined || set === undefined) return -Errno.ESRCH;
      // __set_oom_adj: going below the minimum, and setting it, need CAP_SYS_RESOURCE.
      const privileged = capable(caller.cred, CAP.CAP_SYS_RESOURCE);
      if (value < f.scoreAdjMin && !privileged) return -Errno.EACCES;
      const r = set(dir.pid, value, privileged ? value : f.scoreAdjMin);
      return r < 0 ? r : length;
    };
    return { read: seq.read, llseek: seq.llseek, release: seq.release, write };
  },
};

/** oom_score and oom_score_adj, in tgid_base_stuff's order. */
export const OOM_ENTRIES: readonly PidEntry[] = [oomScoreEntry, oomScoreAdjEntry];
