import { Errno, O, S } from '@tskern/abi';
import { DirsOnlyFs, ok } from '@tskern/test-kit';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { mountProc, ProcFs, type OomFigures, type ProcessDirectory } from './index';
import { oomScore } from './oom-entries';

/** Process 42 (uid 1000) with 100 resident pages of 1,000,000. */
function setup() {
  const state = { scoreAdj: 0, scoreAdjMin: 0 };
  const processes: ProcessDirectory = {
    pids: () => [42],
    maps: () => '',
    owner: (pid) => (pid === 42 ? { uid: 1000, gid: 1000 } : undefined),
    oom: (pid) => (pid === 42 ? { ...state, residentPages: 100, totalPages: 1_000_000, unkillable: false } : undefined),
    setOomScoreAdj: (_pid, scoreAdj, scoreAdjMin) => {
      Object.assign(state, { scoreAdj, scoreAdjMin });
      return 0;
    },
  };
  const vfs = new Vfs(new DirsOnlyFs());
  expect(mountProc(vfs, new ProcFs({ processes, clock: () => 1000 }))).toBe(0);
  const task = (uid: number): FsTask => ({ fs: vfs.newFsContext(), cred: uid === 0 ? Credentials.root() : new Credentials(uid, uid), pid: 42 });
  return { vfs, task, state };
}

function writeText(f: OpenFileDescription, text: string): number {
  const bytes = new TextEncoder().encode(text);
  return f.pwrite(bytes, 0, bytes.length, 0);
}

function readText(f: OpenFileDescription): string {
  const buf = new Uint8Array(32);
  const n = f.pread(buf, 0, 32, 0);
  return new TextDecoder().decode(buf.subarray(0, n));
}

describe('/proc/[pid]/oom_score_adj', () => {
  it('parses numbers as kstrtoint and refuses what Linux 6.18 refuses', () => {
    const { vfs, task } = setup();
    const f = ok(vfs.open(task(1000), '/proc/self/oom_score_adj', O.O_RDWR, 0));
    expect(f.stat().mode).toBe(S.S_IFREG | 0o644);
    // Each write and what Linux answered and read back (as the owner, above the minimum 0).
    const cases: [string, number, string][] = [
      ['5', 1, '5\n'], [' 7 \n', 4, '7\n'], ['0x10', 4, '16\n'], ['010', 3, '8\n'], ['+4', 2, '4\n'],
      ['abc', -Errno.EINVAL, '4\n'], ['1001', -Errno.EINVAL, '4\n'], ['-1001', -Errno.EINVAL, '4\n'],
      ['1000', 4, '1000\n'], ['12345678901234', -Errno.ERANGE, '1000\n'], ['3x', -Errno.EINVAL, '1000\n'], ['\n', -Errno.EINVAL, '1000\n'],
      ['-3', -Errno.EACCES, '1000\n'], ['0', 1, '0\n'],
    ];
    for (const [text, answer, after] of cases) {
      expect(writeText(f, text), text).toBe(answer);
      expect(readText(f)).toBe(after);
    }
  });

  it('lets CAP_SYS_RESOURCE go below the minimum and makes that the new minimum', () => {
    const { vfs, task, state } = setup();
    const root = ok(vfs.open(task(0), '/proc/42/oom_score_adj', O.O_WRONLY, 0));
    expect(writeText(root, '-500')).toBe(4);
    expect(state).toEqual({ scoreAdj: -500, scoreAdjMin: -500 });
    const owner = ok(vfs.open(task(1000), '/proc/42/oom_score_adj', O.O_WRONLY, 0));
    expect(writeText(owner, '-400')).toBe(4);
    expect(writeText(owner, '-501')).toBe(-Errno.EACCES);
    expect(state).toEqual({ scoreAdj: -400, scoreAdjMin: -500 });
  });
});

describe('oom_score', () => {
  it('scales the badness into 0..2000 and is 0 at -1000 or for init', () => {
    // The host: 24731400 kB of RAM, no swap; a small C program there read 666 at adj 0, 670 at 5 and 1332 at 1000.
    const f: OomFigures = { scoreAdj: 0, scoreAdjMin: 0, residentPages: 150, totalPages: 24731400 / 4, unkillable: false };
    expect(oomScore(f)).toBe(666);
    expect(oomScore({ ...f, scoreAdj: 5 })).toBe(670);
    expect(oomScore({ ...f, scoreAdj: 1000 })).toBe(1332);
    expect(oomScore({ ...f, scoreAdj: -1000 })).toBe(0);
    expect(oomScore({ ...f, unkillable: true })).toBe(0);
    const { vfs, task } = setup();
    const file = ok(vfs.open(task(1000), '/proc/42/oom_score', O.O_RDONLY, 0));
    expect(file.stat().mode).toBe(S.S_IFREG | 0o444);
    expect(readText(file)).toBe('666\n');
  });
});
