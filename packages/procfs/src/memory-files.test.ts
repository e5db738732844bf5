import { Errno, O, S, SEEK } from '@tskern/abi';
import { PM_FILE, PM_MMAP_EXCLUSIVE, PM_PRESENT, PSS_SHIFT, type PagemapSource, type VmaMemoryReport } from '@tskern/mm-api';
import { DirsOnlyFs, ok } from '@tskern/test-kit';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { mountProc, ProcFs, type ProcessDirectory } from './index';
import { formatSmaps, formatSmapsRollup } from './smaps';

const K = 4096;

/** Linux 6.18's smaps for a 16 kB MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED mapping (less ProtectionKey, an x86 PKU line). */
const LINUX_LOCKED_ANON =
  '7f8d5232a000-7f8d5232e000 rw-p 00000000 00:00 0 \n' +
  'Size:                 16 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\nRss:                  16 kB\n' +
  'Pss:                  16 kB\nPss_Dirty:            16 kB\nShared_Clean:          0 kB\nShared_Dirty:          0 kB\n' +
  'Private_Clean:         0 kB\nPrivate_Dirty:        16 kB\nReferenced:           16 kB\nAnonymous:            16 kB\n' +
  'KSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\n' +
  'FilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:                  0 kB\n' +
  'SwapPss:               0 kB\nLocked:               16 kB\nTHPeligible:           0\nVmFlags: rd wr mr mw me lo ac \n';

/** The field names of Linux 6.18's smaps_rollup, in order. */
const LINUX_ROLLUP_FIELDS =
  'Rss Pss Pss_Dirty Pss_Anon Pss_File Pss_Shmem Shared_Clean Shared_Dirty Private_Clean Private_Dirty Referenced ' +
  'Anonymous KSM LazyFree AnonHugePages ShmemPmdMapped FilePmdMapped Shared_Hugetlb Private_Hugetlb Swap SwapPss Locked';

function report(start: number, pages: number, extra: Partial<VmaMemoryReport> = {}): VmaMemoryReport {
  const bytes = pages * K;
  return {
    start, end: start + bytes, mapsLine: `${start.toString(16)}-${(start + bytes).toString(16)} rw-p 00000000 00:00 0 `,
    resident: bytes, pss: bytes * 2 ** PSS_SHIFT, pssDirty: bytes * 2 ** PSS_SHIFT, pssAnon: bytes * 2 ** PSS_SHIFT, pssShmem: 0, pssFile: 0,
    sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: bytes, referenced: bytes, anonymous: bytes,
    locked: false, vmFlags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac'], ...extra,
  };
}

describe('smaps text', () => {
  it('prints a VMA as Linux does', () => {
    const r = report(0x7f8d5232a000, 4, { locked: true, vmFlags: ['rd', 'wr', 'mr', 'mw', 'me', 'lo', 'ac'] });
    expect(formatSmaps([r])).toBe(LINUX_LOCKED_ANON);
  });

  it('rolls every VMA up under one [rollup] header in the path column, fields in Linux order', () => {
    const a = report(0x10000, 2);
    const b = report(0x20000, 3, { pss: 3 * K * 2 ** (PSS_SHIFT - 1), pssAnon: 0, pssShmem: 3 * K * 2 ** (PSS_SHIFT - 1), anonymous: 0, locked: true });
    const text = formatSmapsRollup([a, b]);
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe('00010000-00023000 ---p 00000000 00:00 0'.padEnd(73) + '[rollup]');
    expect(lines.map((l) => l.slice(0, l.indexOf(':'))).join(' ')).toBe(LINUX_ROLLUP_FIELDS);
    const kb = (name: string) => Number(/:\s+(\d+) kB/.exec(lines.find((l) => l.startsWith(`${name}:`))!)![1]);
    expect(kb('Rss')).toBe(20);
    expect(kb('Pss')).toBe(8 + 6);
    expect(kb('Pss_Shmem')).toBe(6);
    expect(kb('Anonymous')).toBe(8);
    expect(kb('Locked')).toBe(6); // only the mlocked VMA's Pss
    expect(formatSmapsRollup([]).startsWith('00000000-00000000 ---p')).toBe(true);
  });
});

/** A process table of one process (pid 42, owned by uid 1000) with a fixed memory picture. */
function setup() {
  let alive = true;
  const entries = new Map<number, bigint>([[0x10, PM_PRESENT | PM_MMAP_EXCLUSIVE | 0x1234n], [0x11, PM_PRESENT | PM_FILE | 0x99n]]);
  const pagemap: PagemapSource = {
    taskSize: 0x40000 * K,
    entries: (first, count, showPfn) => {
      const out = new BigUint64Array(count);
      for (let i = 0; i < count; i++) {
        const e = entries.get(first + i) ?? 0n;
        out[i] = showPfn ? e : e & ~((1n << 55n) - 1n);
      }
      return out;
    },
  };
  const processes: ProcessDirectory = {
    pids: () => (alive ? [42] : []),
    maps: () => (alive ? '' : undefined),
    owner: (pid) => (alive && pid === 42 ? { uid: 1000, gid: 1000 } : undefined),
    smaps: () => (alive ? [report(0x10000, 2)] : undefined),
    pagemap: () => (alive ? pagemap : undefined),
  };
  const vfs = new Vfs(new DirsOnlyFs());
  expect(mountProc(vfs, new ProcFs({ processes, clock: () => 1000 }))).toBe(0);
  const task = (pid: number, uid: number): FsTask => ({ fs: vfs.newFsContext(), cred: uid === 0 ? Credentials.root() : new Credentials(uid, uid), pid });
  return { vfs, task, exit: () => (alive = false) };
}

function entryAt(f: OpenFileDescription, page: number): bigint | number {
  const buf = new Uint8Array(8);
  const n = f.pread(buf, 0, 8, page * 8);
  return n === 8 ? new DataView(buf.buffer).getBigUint64(0, true) : n;
}

describe('/proc/[pid]/smaps and smaps_rollup', () => {
  it('need ptrace read access to open; the rollup of a process gone is ESRCH, its smaps empty', () => {
    const { vfs, task, exit } = setup();
    expect(vfs.open(task(7, 1001), '/proc/42/smaps', O.O_RDONLY, 0)).toBe(-Errno.EACCES);
    const smaps = ok(vfs.open(task(42, 1000), '/proc/42/smaps', O.O_RDONLY, 0));
    const rollup = ok(vfs.open(task(42, 1000), '/proc/self/smaps_rollup', O.O_RDONLY, 0));
    expect(smaps.stat().mode).toBe(S.S_IFREG | 0o444);
    exit();
    const buf = new Uint8Array(64);
    expect(smaps.read(buf, 0, 64)).toBe(0);
    expect(rollup.read(buf, 0, 64)).toBe(-Errno.ESRCH);
  });
});

describe('seq_lseek on the text files', () => {
  it('moves with SEEK_SET and SEEK_CUR, past the end too, and refuses the rest (as Linux 6.18 on /proc/self/maps)', () => {
    const { vfs, task } = setup();
    const f = ok(vfs.open(task(42, 1000), '/proc/self/smaps', O.O_RDONLY, 0));
    const buf = new Uint8Array(8);
    expect(f.lseek(0, SEEK.SEEK_END)).toBe(-Errno.EINVAL);
    expect(f.lseek(100000, SEEK.SEEK_SET)).toBe(100000);
    expect(f.read(buf, 0, 8)).toBe(0);
    expect(f.lseek(-5, SEEK.SEEK_CUR)).toBe(99995);
    expect(f.lseek(-1, SEEK.SEEK_SET)).toBe(-Errno.EINVAL);
    expect(f.lseek(3, SEEK.SEEK_SET)).toBe(3);
    expect(f.read(buf, 0, 8)).toBe(8);
    expect(f.lseek(0, SEEK.SEEK_CUR)).toBe(11);
    expect(f.lseek(0, SEEK.SEEK_DATA)).toBe(-Errno.EINVAL);
  });
});

describe('/proc/[pid]/pagemap', () => {
  it('is mode 0400 and reads one little-endian entry per page, frame numbers for root only', () => {
    const { vfs, task } = setup();
    const root = ok(vfs.open(task(1, 0), '/proc/42/pagemap', O.O_RDONLY, 0));
    expect(root.stat().mode).toBe(S.S_IFREG | 0o400);
    expect(entryAt(root, 0x10)).toBe(PM_PRESENT | PM_MMAP_EXCLUSIVE | 0x1234n);
    expect(entryAt(root, 0x11)).toBe(PM_PRESENT | PM_FILE | 0x99n);
    expect(entryAt(root, 0x12)).toBe(0n);
    const owner = ok(vfs.open(task(42, 1000), '/proc/self/pagemap', O.O_RDONLY, 0));
    expect(entryAt(owner, 0x10)).toBe(PM_PRESENT | PM_MMAP_EXCLUSIVE);
  });

  it('answers as Linux: EINVAL off 8-byte steps, nothing past the address space, lseek SET and CUR only', () => {
    const { vfs, task, exit } = setup();
    const f = ok(vfs.open(task(1, 0), '/proc/42/pagemap', O.O_RDONLY, 0));
    const buf = new Uint8Array(64);
    expect(f.pread(buf, 0, 8, 3)).toBe(-Errno.EINVAL);
    expect(f.pread(buf, 0, 5, 8)).toBe(-Errno.EINVAL);
    expect(f.pread(buf, 0, 64, (0x40000 - 2) * 8)).toBe(16); // stops at TASK_SIZE
    expect(f.pread(buf, 0, 8, 0x40000 * 8)).toBe(0);
    expect(f.lseek(0, SEEK.SEEK_END)).toBe(-Errno.EINVAL);
    expect(f.lseek(0x10 * 8, SEEK.SEEK_SET)).toBe(0x80);
    expect(f.lseek(8, SEEK.SEEK_CUR)).toBe(0x88);
    expect(f.read(buf, 0, 8)).toBe(8);
    expect(new DataView(buf.buffer).getBigUint64(0, true)).toBe(PM_PRESENT | PM_FILE | 0x99n);
    exit();
    expect(f.pread(buf, 0, 8, 0x80)).toBe(0);
  });
});
