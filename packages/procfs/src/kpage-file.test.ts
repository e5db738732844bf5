import { Errno, O, S, SEEK } from '@tskern/abi';
import { KPF, type PhysicalPageSource } from '@tskern/mm-api';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { DirsOnlyFs } from '@tskern/test-kit';
import { describe, expect, it } from 'vitest';
import { mountProc, ProcFs } from './index';

/** Four frames: free, dirty and mapped twice, anonymous and mapped once, and the zero page. */
const FLAGS = [1n << BigInt(KPF.BUDDY), (1n << BigInt(KPF.DIRTY)) | (1n << BigInt(KPF.MMAP)), (1n << BigInt(KPF.ANON)) | (1n << BigInt(KPF.MMAP)), 1n << BigInt(KPF.ZERO_PAGE)];
const COUNTS = [0n, 2n, 1n, 0n];
const CGROUPS = [0n, 1n, 7n, 0n];

function setup() {
  const asked: [number, number][] = [];
  const physicalPages: PhysicalPageSource = {
    endPfn: FLAGS.length,
    flags: (first, count) => {
      asked.push([first, count]);
      return BigUint64Array.from(FLAGS.slice(first, first + count));
    },
    mapCounts: (first, count) => BigUint64Array.from(COUNTS.slice(first, first + count)),
    cgroupInodes: (first, count) => BigUint64Array.from(CGROUPS.slice(first, first + count)),
  };
  const vfs = new Vfs(new DirsOnlyFs());
  const proc = new ProcFs({ processes: { pids: () => [], maps: () => undefined, owner: () => undefined }, physicalPages });
  expect(mountProc(vfs, proc)).toBe(0);
  const task = (uid = 0): FsTask => ({ fs: vfs.newFsContext(), cred: uid === 0 ? Credentials.root() : new Credentials(uid, uid) });
  const open = (path: string, flags: number = O.O_RDONLY, uid = 0) => vfs.open(task(uid), path, flags, 0);
  return { vfs, task, open, asked };
}

function entries(f: OpenFileDescription, pos: number, count: number): bigint[] | number {
  const buf = new Uint8Array(count * 8);
  const n = f.pread(buf, 0, buf.length, pos);
  if (n < 0) return n;
  const view = new DataView(buf.buffer);
  return Array.from({ length: n / 8 }, (_, i) => view.getBigUint64(i * 8, true));
}

describe('/proc/kpageflags and /proc/kpagecount', () => {
  it('are root-owned 0400 files listed among the fixed entries', () => {
    const { vfs, task } = setup();
    for (const name of ['kpageflags', 'kpagecount', 'kpagecgroup']) {
      const st = vfs.stat(task(), `/proc/${name}`, true);
      expect(typeof st).toBe('object');
      if (typeof st === 'number') return;
      expect(st.mode).toBe(S.S_IFREG | 0o400);
      expect([st.uid, st.gid, st.size]).toEqual([0, 0, 0]);
    }
  });

  it('open for root only, read-only (the mode is the only check, as proc_create with S_IRUSR)', () => {
    const { open } = setup();
    expect(open('/proc/kpageflags', O.O_RDONLY, 1000)).toBe(-Errno.EACCES);
    expect(open('/proc/kpagecount', O.O_RDONLY, 1000)).toBe(-Errno.EACCES);
    // root passes the mode check for writing (CAP_DAC_OVERRIDE), but a write is EIO (proc_reg_write without proc_write; Linux 6.18)
    const w = open('/proc/kpageflags', O.O_WRONLY) as OpenFileDescription;
    expect(w.write(new Uint8Array(8), 0, 8)).toBe(-Errno.EIO);
  });

  it('read one entry per frame at frame * 8, up to the last frame', () => {
    const { open, asked } = setup();
    const flags = open('/proc/kpageflags') as OpenFileDescription;
    const counts = open('/proc/kpagecount') as OpenFileDescription;
    expect(entries(flags, 0, 4)).toEqual(FLAGS);
    expect(entries(counts, 0, 4)).toEqual(COUNTS);
    expect(entries(flags, 8, 1)).toEqual([FLAGS[1]]);
    expect(entries(counts, 16, 8)).toEqual(COUNTS.slice(2));
    expect(entries(open('/proc/kpagecgroup') as OpenFileDescription, 8, 2)).toEqual(CGROUPS.slice(1, 3));
    // past the last frame: 0 bytes, and the source is not asked
    asked.length = 0;
    expect(entries(flags, 32, 2)).toEqual([]);
    expect(entries(flags, 8 << 20, 2)).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('EINVAL for a position or a count off the 8-byte entries (KPMMASK)', () => {
    const { open } = setup();
    const f = open('/proc/kpageflags') as OpenFileDescription;
    const buf = new Uint8Array(16);
    expect(f.pread(buf, 0, 8, 4)).toBe(-Errno.EINVAL);
    expect(f.pread(buf, 0, 12, 0)).toBe(-Errno.EINVAL);
    expect(f.pread(buf, 0, 0, 0)).toBe(0);
  });

  it('seek as mem_lseek: SEEK_SET and SEEK_CUR, and read moves the position by what it read', () => {
    const { open } = setup();
    const f = open('/proc/kpagecount') as OpenFileDescription;
    expect(f.lseek(8, SEEK.SEEK_SET)).toBe(8);
    const buf = new Uint8Array(8);
    expect(f.read(buf, 0, 8)).toBe(8);
    expect(new DataView(buf.buffer).getBigUint64(0, true)).toBe(COUNTS[1]);
    expect(f.lseek(0, SEEK.SEEK_CUR)).toBe(16);
    expect(f.lseek(0, SEEK.SEEK_END)).toBe(-Errno.EINVAL);
  });

  it('do not exist without a PhysicalPageSource; kpagecgroup not without cgroup inodes (no memory controller)', () => {
    const vfs = new Vfs(new DirsOnlyFs());
    expect(mountProc(vfs, new ProcFs({ processes: { pids: () => [], maps: () => undefined, owner: () => undefined } }))).toBe(0);
    expect(vfs.stat({ fs: vfs.newFsContext(), cred: Credentials.root() }, '/proc/kpageflags', true)).toBe(-Errno.ENOENT);
    const physicalPages: PhysicalPageSource = { endPfn: 1, flags: () => new BigUint64Array(1), mapCounts: () => new BigUint64Array(1) };
    const other = new Vfs(new DirsOnlyFs());
    expect(mountProc(other, new ProcFs({ processes: { pids: () => [], maps: () => undefined, owner: () => undefined }, physicalPages }))).toBe(0);
    const root = { fs: other.newFsContext(), cred: Credentials.root() };
    expect(typeof other.stat(root, '/proc/kpagecount', true)).toBe('object');
    expect(other.stat(root, '/proc/kpagecgroup', true)).toBe(-Errno.ENOENT);
  });
});
