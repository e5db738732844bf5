import { describe, expect, it } from 'vitest';
import { formatSysvShm } from './sysvipc';

describe('/proc/sysvipc/shm', () => {
  it('writes the header and a line per segment in the columns of the host\'s file', () => {
    // Captured from the host (Linux 6.x x86-64) for a 5000-byte segment with key 0x7a7a0001, id 4, one page resident.
    const host = [
      '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap',
      '2054815745          4   600                  5000 30626 30626      0     0     0     0     0 1796544473 1796544473 1796544473                  4096                     0',
      '',
    ].join('\n');
    const t = 1796544473;
    const row = { key: 0x7a7a0001, shmid: 4, perms: 0o600, size: 5000, cpid: 30626, lpid: 30626, nattch: 0 };
    const ids = { uid: 0, gid: 0, cuid: 0, cgid: 0, atime: t, dtime: t, ctime: t, rssBytes: 4096 };
    expect(formatSysvShm([{ ...row, ...ids }])).toBe(host);
  });
});
