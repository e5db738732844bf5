import { PSS_SHIFT, type VmaMemoryReport } from '@tskern/mm-api';

/** The byte count of a PSS_SHIFT fixed-point figure (pss >> PSS_SHIFT). */
function pssBytes(pss: number): number {
  return Math.floor(pss / 2 ** PSS_SHIFT);
}

/**
 * One `Name:   value kB` line as SEQ_PUT_DEC prints it: the name padded to 16
 * columns, the kibibytes right-aligned in 8 (seq_put_decimal_ull_width).
 */
function kB(name: string, bytes: number): string {
  return `${`${name}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/** The sums both files print (fs/proc/task_mmu.c:__show_smap); `rollup` adds the Pss split by kind. */
function showSmap(r: Totals, rollup: boolean): string {
  let out = kB('Rss', r.resident) + kB('Pss', pssBytes(r.pss)) + kB('Pss_Dirty', pssBytes(r.pssDirty));
  if (rollup) out += kB('Pss_Anon', pssBytes(r.pssAnon)) + kB('Pss_File', pssBytes(r.pssFile)) + kB('Pss_Shmem', pssBytes(r.pssShmem));
  out +=
    kB('Shared_Clean', r.sharedClean) +
    kB('Shared_Dirty', r.sharedDirty) +
    kB('Private_Clean', r.privateClean) +
    kB('Private_Dirty', r.privateDirty) +
    kB('Referenced', r.referenced) +
    kB('Anonymous', r.anonymous) +
    // No KSM, no MADV_FREE'd pages kept, no transparent or hugetlb pages, no swap.
    kB('KSM', 0) +
    kB('LazyFree', 0) +
    kB('AnonHugePages', 0) +
    kB('ShmemPmdMapped', 0) +
    kB('FilePmdMapped', 0) +
    kB('Shared_Hugetlb', 0) +
    kB('Private_Hugetlb', 0) +
    kB('Swap', 0) +
    kB('SwapPss', 0) +
    kB('Locked', pssBytes(r.pssLocked));
  return out;
}

/** The figures summed over one VMA or, for the rollup, all of them. */
interface Totals {
  resident: number;
  pss: number;
  pssDirty: number;
  pssAnon: number;
  pssFile: number;
  pssShmem: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  referenced: number;
  anonymous: number;
  /** Pss of mlocked VMAs (Linux's pss_locked). */
  pssLocked: number;
}

function totalsOf(r: VmaMemoryReport): Totals {
  return { ...r, pssLocked: r.locked ? r.pss : 0 };
}

/**
 * /proc/[pid]/smaps (show_smap): each VMA's maps line, its size, page sizes,
 * the sums of its pages, THPeligible 0 (tskern maps no transparent huge
 * pages, as a kernel with THP "never"), and its VmFlags, each mnemonic
 * followed by a space. No ProtectionKey line: riscv64 (and x86-64 without
 * PKU) has no protection keys.
 */
export function formatSmaps(reports: readonly VmaMemoryReport[]): string {
  let out = '';
  for (const r of reports) {
    out += `${r.mapsLine}\n${kB('Size', r.end - r.start)}${kB('KernelPageSize', 4096)}${kB('MMUPageSize', 4096)}`;
    out += showSmap(totalsOf(r), false);
    out += `${'THPeligible:'.padEnd(16)}${'0'.padStart(8)}\n`;
    out += `VmFlags: ${r.vmFlags.map((f) => `${f} `).join('')}\n`;
  }
  return out;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/**
 * /proc/[pid]/smaps_rollup (show_smaps_rollup): one header from the first
 * VMA's start to the last one's end (0-0 without VMAs), flags `---p`, padded
 * to the path column and named `[rollup]`, then the sums of every VMA, with
 * the Pss split into anonymous, file and shmem pages.
 */
export function formatSmapsRollup(reports: readonly VmaMemoryReport[]): string {
  const sum: Totals = {
    resident: 0, pss: 0, pssDirty: 0, pssAnon: 0, pssFile: 0, pssShmem: 0, sharedClean: 0, sharedDirty: 0,
    privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, pssLocked: 0,
  };
  for (const r of reports) {
    const t = totalsOf(r);
    for (const key of Object.keys(sum) as (keyof Totals)[]) sum[key] += t[key];
  }
  const start = reports.length === 0 ? 0 : reports[0]!.start;
  const end = reports.length === 0 ? 0 : reports[reports.length - 1]!.end;
  const header = `${hex(start)}-${hex(end)} ---p 00000000 00:00 0 `.padEnd(72, ' ') + ' [rollup]\n';
  return header + showSmap(sum, true);
}
