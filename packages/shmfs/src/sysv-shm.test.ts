import { Errno, IPC, PAGE_SIZE, SHM } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { SysvShmNamespace } from './sysv-shm-namespace';

const root = { cred: Credentials.root(), pid: 1 };

function namespace(frames = 64) {
  let now = 100;
  const ns = new SysvShmNamespace({ frames: new ArenaFrameAllocator({ frames }), nowSeconds: () => now });
  return { ns, tick: () => ++now };
}

describe('SysvShmNamespace', () => {
  it('gives indexes cyclically, so a removed id is not reused at once, and moves the sequence on when it wraps', () => {
    const { ns } = namespace();
    ns.shmCtlMni = 3;
    const ids = [0, 1, 2].map(() => ns.get(IPC.IPC_PRIVATE, 1, 0o600, root));
    expect(ids).toEqual([0, 1, 2]);
    expect(ns.get(IPC.IPC_PRIVATE, 1, 0o600, root)).toBe(-Errno.ENOSPC); // SHMMNI reached
    ns.remove(ns.lookup(1)!);
    expect(ns.lookup(1)).toBeUndefined();
    expect(ns.get(IPC.IPC_PRIVATE, 1, 0o600, root)).toBe(32768 + 1); // index 1 again, next sequence
    expect(ns.lookup(1)).toBeUndefined(); // the stale id does not find the new segment
    expect(ns.maxIndex()).toBe(2);
  });

  it('counts attaches by references, stamps atime and dtime, and destroys a SHM_DEST segment at the last detach', () => {
    const { ns, tick } = namespace();
    const id = ns.get(7, 3 * PAGE_SIZE, IPC.IPC_CREAT | 0o600, root);
    const s = ns.lookup(id)!;
    expect([ns.totalPages, s.ctime, s.atime]).toEqual([3, 100, 0]);
    tick();
    s.incRef();
    s.incRef();
    expect([s.nattch, s.atime]).toEqual([2, 101]);
    ns.remove(s);
    expect([s.key, s.mode, s.live]).toEqual([0, 0o600 | SHM.SHM_DEST, true]);
    expect(ns.get(7, 1, 0, root)).toBe(-Errno.ENOENT);
    tick();
    s.decRef();
    expect([s.live, s.dtime]).toEqual([true, 102]);
    s.decRef();
    expect([s.live, ns.lookup(id), ns.totalPages]).toEqual([false, undefined, 0]);
  });

  it('refuses a segment larger than RAM (ENOMEM) and SHMALL past the total (ENOSPC)', () => {
    const { ns } = namespace(8);
    expect(ns.get(IPC.IPC_PRIVATE, 9 * PAGE_SIZE, 0o600, root)).toBe(-Errno.ENOMEM);
    ns.shmCtlAll = 4n;
    expect(ns.get(IPC.IPC_PRIVATE, 3 * PAGE_SIZE, 0o600, root)).toBe(0);
    expect(ns.get(IPC.IPC_PRIVATE, 2 * PAGE_SIZE, 0o600, root)).toBe(-Errno.ENOSPC);
  });

  it('ipcperms: owner, group and other bits by euid and groups; root may do anything', () => {
    const { ns } = namespace();
    const s = ns.lookup(ns.get(IPC.IPC_PRIVATE, 1, 0o640, { cred: new Credentials(1000, 100), pid: 2 }))!;
    expect(ns.permits(s, new Credentials(1000, 1), 0o666)).toBe(true);
    expect(ns.permits(s, new Credentials(2000, 1, [100]), 0o444)).toBe(true);
    expect(ns.permits(s, new Credentials(2000, 1, [100]), 0o666)).toBe(false);
    expect(ns.permits(s, new Credentials(2000, 1), 0o444)).toBe(false);
    expect(ns.permits(s, Credentials.root(), 0o777)).toBe(true);
  });
});
