// A file of its own: another test's open userfaultfd would keep the shared inode referenced and hide the bug.
import { O, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';

describe('the anonymous inode every userfaultfd shares (anon_inode_inode)', () => {
  it('outlives the last close and the exit of every process that had one (raw fuzzer seed 61207: incRef of an evicted inode)', () => {
    const w = world(0);
    for (let i = 0; i < 3; i++) {
      const fd = w.sys(w.p.tid, SYS.userfaultfd, O.O_CLOEXEC);
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(w.sys(w.p.tid, SYS.close, fd)).toBe(0);
    }
    const other = world(0); // another kernel: the inode is shared, as Linux's one anon_inodefs
    expect(other.sys(other.p.tid, SYS.userfaultfd, 0)).toBeGreaterThanOrEqual(0);
    expect(other.sys(other.p.tid, SYS.exit_group, 0)).toBe(0);
    expect(w.sys(w.p.tid, SYS.userfaultfd, 0)).toBeGreaterThanOrEqual(0);
  });
});
