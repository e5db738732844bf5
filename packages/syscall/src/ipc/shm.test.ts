import { Errno, IPC, PAGE_SIZE, SHM, SYS } from '@tskern/abi';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { sys, world } from '../fs/testing/world';
import { SHMID64_DS_SIZE } from './shmid-ds';

const E = Errno;
const KEY = 0x7a7a0001;

/** IPC_STAT's fields of interest, read back from the scratch buffer. */
function stat(w: ReturnType<typeof world>, id: number, cmd: number = IPC.IPC_STAT) {
  const buf = w.alloc(SHMID64_DS_SIZE);
  const r = sys(w.ctx, SYS.shmctl, id, cmd, buf);
  if (r < 0) return r;
  const v = new DataView(w.bytes(buf, SHMID64_DS_SIZE).buffer);
  return {
    r,
    key: v.getInt32(0, true),
    uid: v.getUint32(4, true),
    mode: v.getUint32(20, true),
    segsz: Number(v.getBigUint64(48, true)),
    atime: Number(v.getBigInt64(56, true)),
    cpid: v.getInt32(80, true),
    lpid: v.getInt32(84, true),
    nattch: Number(v.getBigUint64(88, true)),
  };
}

// Expected errnos were measured on the host (Linux 6.x x86-64) with a C probe
// making the same calls: see the comments per case.
describe('shmget', () => {
  it('creates, finds and refuses keyed segments as the host does', () => {
    const w = world({ uid: 0 });
    expect(sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 0, 0o600)).toBe(-E.EINVAL); // size < SHMMIN
    expect(sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 1, 0o600 | SHM.SHM_HUGETLB)).toBe(-E.ENOMEM); // no huge pages
    expect(sys(w.ctx, SYS.shmget, KEY, 4096, 0o600)).toBe(-E.ENOENT);
    const id = sys(w.ctx, SYS.shmget, KEY, 5000, IPC.IPC_CREAT | 0o600);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(sys(w.ctx, SYS.shmget, KEY, 4096, IPC.IPC_CREAT | IPC.IPC_EXCL | 0o600)).toBe(-E.EEXIST);
    expect(sys(w.ctx, SYS.shmget, KEY, 8193, 0)).toBe(-E.EINVAL); // larger than the segment
    expect(sys(w.ctx, SYS.shmget, KEY, 100, 0)).toBe(id);
    expect(sys(w.ctx, SYS.shmget, KEY, 0, 0)).toBe(id);
    expect(sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 2n ** 62n, 0o600)).toBe(-E.ENOMEM); // more than RAM
    const s = stat(w, id);
    expect(s).toMatchObject({ r: 0, key: KEY, segsz: 5000, mode: 0o600, nattch: 0, cpid: w.ctx.pid, lpid: 0 });
  });

  it('checks the mode asked for against the segment for another user (EACCES)', () => {
    const w = world({ uid: 0 });
    const id = sys(w.ctx, SYS.shmget, KEY, 4096, IPC.IPC_CREAT | 0o640);
    w.ctx.cred = new Credentials(1000, 1000);
    expect(sys(w.ctx, SYS.shmget, KEY, 4096, 0o400)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.shmget, KEY, 4096, 0)).toBe(id);
  });
});

describe('shmat and shmdt', () => {
  it('attaches at a free address, rounds with SHM_RND, refuses unaligned or taken addresses without SHM_REMAP', () => {
    const w = world({ uid: 0 });
    const id = sys(w.ctx, SYS.shmget, KEY, 5000, IPC.IPC_CREAT | 0o600);
    expect(sys(w.ctx, SYS.shmat, id, 0x10001, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.shmat, id, 0x10001, SHM.SHM_RND)).toBe(0x10000);
    const p = sys(w.ctx, SYS.shmat, id, 0, 0);
    expect(p).toBeGreaterThan(0);
    expect(p % PAGE_SIZE).toBe(0);
    expect(sys(w.ctx, SYS.shmat, id, p, 0)).toBe(-E.EINVAL); // taken
    expect(sys(w.ctx, SYS.shmat, id, 0, SHM.SHM_REMAP)).toBe(-E.EINVAL); // SHM_REMAP needs an address
    expect(sys(w.ctx, SYS.shmat, -1, 0, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.shmat, id + 1, 0, 0)).toBe(-E.EINVAL);
    expect(stat(w, id)).toMatchObject({ nattch: 2, lpid: w.ctx.pid });
    // The attach is a two-page MAP_SHARED mapping of the segment's file, named as Linux names it.
    const vma = w.ctx.mm.vmas.find(p)!;
    expect([vma.start, vma.end - vma.start]).toEqual([p, 2 * PAGE_SIZE]);
    expect(vma.value.shared).toBe(true);
    expect(vma.value.backing!.identity.mappedName()).toBe('/SYSV7a7a0001 (deleted)');
    expect(vma.value.backing!.identity.inodeId()).toBe(id);
    expect(sys(w.ctx, SYS.shmdt, p + PAGE_SIZE)).toBe(-E.EINVAL); // inside, not at, an attach
    expect(sys(w.ctx, SYS.shmdt, p + 1)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.shmdt, p)).toBe(0);
    expect(w.ctx.mm.vmas.find(p)).toBeUndefined();
    expect(sys(w.ctx, SYS.shmdt, p)).toBe(-E.EINVAL);
    expect(stat(w, id)).toMatchObject({ nattch: 1 });
  });

  it('SHM_REMAP replaces what is mapped; shmdt takes every piece of a split attach', () => {
    const w = world({ uid: 0 });
    const id = sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 3 * PAGE_SIZE, 0o600);
    const q = sys(w.ctx, SYS.mmap, 0, 16 * PAGE_SIZE, 0, 0x22, -1, 0); // PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS
    expect(sys(w.ctx, SYS.shmat, id, q + PAGE_SIZE, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.shmat, id, q + PAGE_SIZE, SHM.SHM_REMAP)).toBe(q + PAGE_SIZE);
    // mprotect of the middle page splits the attach into three VMAs: three attaches, as shm_open counts them.
    expect(sys(w.ctx, SYS.mprotect, q + 2 * PAGE_SIZE, PAGE_SIZE, 1)).toBe(0);
    expect(stat(w, id)).toMatchObject({ nattch: 3 });
    expect(sys(w.ctx, SYS.shmdt, q + PAGE_SIZE)).toBe(0);
    expect(stat(w, id)).toMatchObject({ nattch: 0 });
    expect(w.ctx.mm.vmas.isFree(q + PAGE_SIZE, q + 4 * PAGE_SIZE)).toBe(true);
  });

  it('checks read, write and exec permission by the attach flags (EACCES)', () => {
    const w = world({ uid: 0 });
    const ro = sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o644);
    const none = sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o600);
    expect(sys(w.ctx, SYS.shmat, none, 0, SHM.SHM_EXEC)).toBeGreaterThan(0); // CAP_IPC_OWNER
    w.ctx.cred = new Credentials(1000, 1000);
    expect(sys(w.ctx, SYS.shmat, none, 0, SHM.SHM_RDONLY)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.shmat, ro, 0, 0)).toBe(-E.EACCES);
    const p = sys(w.ctx, SYS.shmat, ro, 0, SHM.SHM_RDONLY);
    expect(p).toBeGreaterThan(0);
    expect(w.ctx.mm.vmas.find(p)!.value.prot).toBe(1); // PROT_READ only
    expect(sys(w.ctx, SYS.mprotect, p, 4096, 3)).toBe(-E.EACCES); // no write on a read-only attach
  });
});

describe('shmctl', () => {
  it('IPC_RMID hides the key and marks SHM_DEST while attached; the last detach destroys the segment', () => {
    const w = world({ uid: 0 });
    const id = sys(w.ctx, SYS.shmget, KEY, 4096, IPC.IPC_CREAT | 0o600);
    const p = sys(w.ctx, SYS.shmat, id, 0, 0);
    expect(sys(w.ctx, SYS.shmctl, id, IPC.IPC_RMID, 0)).toBe(0);
    expect(stat(w, id)).toMatchObject({ key: 0, mode: 0o1600, nattch: 1 });
    expect(sys(w.ctx, SYS.shmget, KEY, 4096, 0)).toBe(-E.ENOENT);
    // An attach of a segment marked for destruction still works, as on the host.
    const p2 = sys(w.ctx, SYS.shmat, id, 0, 0);
    expect(p2).toBeGreaterThan(0);
    expect(sys(w.ctx, SYS.shmdt, p)).toBe(0);
    expect(sys(w.ctx, SYS.shmdt, p2)).toBe(0);
    expect(stat(w, id)).toBe(-E.EINVAL);
    // Not attached: IPC_RMID destroys at once.
    const id2 = sys(w.ctx, SYS.shmget, KEY, 4096, IPC.IPC_CREAT | 0o600);
    expect(sys(w.ctx, SYS.shmctl, id2, IPC.IPC_RMID, 0)).toBe(0);
    expect(sys(w.ctx, SYS.shmctl, id2, IPC.IPC_RMID, 0)).toBe(-E.EINVAL);
  });

  it('IPC_STAT needs read permission, IPC_SET and IPC_RMID the owner; unknown commands are EINVAL', () => {
    const w = world({ uid: 0 });
    const id = sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o600);
    expect(sys(w.ctx, SYS.shmctl, id, 99, w.alloc(SHMID64_DS_SIZE))).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.shmctl, id, IPC.IPC_STAT | IPC.IPC_64, w.alloc(SHMID64_DS_SIZE))).toBe(-E.EINVAL);
    // IPC_SET: give it to uid 1000 with mode 0640.
    const buf = w.alloc(SHMID64_DS_SIZE);
    const ds = new DataView(new ArrayBuffer(SHMID64_DS_SIZE));
    ds.setUint32(4, 1000, true);
    ds.setUint32(8, 1000, true);
    ds.setUint32(20, 0o640, true);
    w.scratch.set(new Uint8Array(ds.buffer), buf - 0x10000);
    expect(sys(w.ctx, SYS.shmctl, id, IPC.IPC_SET, buf)).toBe(0);
    expect(stat(w, id)).toMatchObject({ uid: 1000, mode: 0o640 });
    w.ctx.cred = new Credentials(2000, 2000);
    expect(stat(w, id)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.shmctl, id, IPC.IPC_RMID, 0)).toBe(-E.EPERM);
    expect(stat(w, 0, SHM.SHM_STAT_ANY)).toMatchObject({ r: id, uid: 1000 });
    w.ctx.cred = new Credentials(1000, 1000); // the owner now
    expect(sys(w.ctx, SYS.shmctl, id, IPC.IPC_RMID, 0)).toBe(0);
  });

  it('IPC_INFO reports Linux\'s default limits and SHM_INFO the pages in use', () => {
    const w = world({ uid: 0 });
    sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 5000, 0o600);
    const id = sys(w.ctx, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o600);
    const buf = w.alloc(72);
    expect(sys(w.ctx, SYS.shmctl, 0, IPC.IPC_INFO, buf)).toBe(id); // the highest index
    const v = new DataView(w.bytes(buf, 72).buffer);
    // The host's values: shmmax 18446744073692774399, shmmin 1, shmmni 4096, shmseg 4096, shmall as shmmax.
    expect([0, 8, 16, 24, 32].map((o) => v.getBigUint64(o, true))).toEqual([18446744073692774399n, 1n, 4096n, 4096n, 18446744073692774399n]);
    const info = w.alloc(48);
    expect(sys(w.ctx, SYS.shmctl, 0, SHM.SHM_INFO, info)).toBe(id);
    const i = new DataView(w.bytes(info, 48).buffer);
    expect([i.getInt32(0, true), Number(i.getBigUint64(8, true))]).toEqual([2, 3]);
  });
});
