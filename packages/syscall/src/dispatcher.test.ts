import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { world } from './testing/world';

describe('SyscallDispatcher', () => {
  it('answers ENOSYS for unknown numbers and ESRCH for unknown tasks', () => {
    const { sys, p } = world();
    expect(sys(p.tid, 9999)).toBe(-Errno.ENOSYS);
    expect(sys(p.tid, -5)).toBe(-Errno.ENOSYS);
    expect(sys(p.tid, 1.5)).toBe(-Errno.ENOSYS);
    expect(sys(424242, SYS.getpid)).toBe(-Errno.ESRCH);
    expect(sys(p.tid, SYS.getpid)).toBe(p.pid);
    expect(sys(p.tid, SYS.getuid)).toBe(1000);
  });

  it('mmaps through raw arguments and checks the offset before the fd', () => {
    const { sys, p } = world();
    const rw = PROT.PROT_READ | PROT.PROT_WRITE;
    expect(sys(p.tid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE, 3, 1)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE, 3, 0)).toBe(-Errno.EBADF);
    expect(sys(p.tid, SYS.mmap, 0, -1, rw, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0)).toBe(-Errno.ENOMEM);
    const a = sys(p.tid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(a).toBeGreaterThan(0);
    expect(sys(p.tid, SYS.munmap, a, 4096)).toBe(0);
    expect(sys(p.tid, SYS.munmap, a, -1)).toBe(-Errno.EINVAL);
  });

  it('copies the mincore vector out and fails with EFAULT on a bad pointer', () => {
    const { sys, p } = world();
    const a = sys(p.tid, SYS.mmap, 0, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_POPULATE, -1, 0);
    const vecAddr = p.stack.end - 64;
    expect(sys(p.tid, SYS.mincore, a, 8192, vecAddr)).toBe(0);
    const vec = new Uint8Array(2);
    load(p.mm, vecAddr, vec, 0, 2);
    expect([...vec]).toEqual([1, 1]);
    expect(sys(p.tid, SYS.mincore, a, 8192, 0)).toBe(-Errno.EFAULT);
  });

  it('forks, execs, exits and waits; wait4 for a running child blocks', () => {
    const { dispatcher, sys, p, tasks, frames } = world();
    const child = sys(p.tid, SYS.fork);
    expect(child).toBeGreaterThan(p.tid);
    expect(sys(child, SYS.getppid)).toBe(p.pid);
    const blocked = dispatcher.call(p.tid, SYS.wait4, child, 0, 0, 0);
    expect(typeof blocked).toBe('object');
    const path = new TextEncoder().encode('/bin/p\0');
    const at = p.stack.end - 128;
    expect(sys(child, SYS.execve, 0, 0, 0)).toBe(-Errno.EFAULT);
    const c = tasks.get(child)!;
    store(c.mm, at, path, 0, path.length);
    expect(sys(child, SYS.execve, at, 0, 0)).toBe(0);
    expect(sys(child, SYS.exit_group, 7)).toBe(0);
    expect(sys(child, SYS.getpid)).toBe(-Errno.ESRCH);
    const statusAt = p.stack.end - 8;
    expect(sys(p.tid, SYS.wait4, child, statusAt, 0x1000, 0)).toBe(-Errno.EINVAL);
    if (typeof blocked !== 'object') throw new Error('no block');
    expect(blocked.retry()).toBe(child); // the retry reaps the child that has exited since
    expect(sys(p.tid, SYS.wait4, -1, 0, 0, 0)).toBe(-Errno.ECHILD);
    const again = sys(p.tid, SYS.fork);
    sys(again, SYS.exit, 3);
    expect(sys(p.tid, SYS.wait4, -1, statusAt, 0, 0)).toBe(again);
    const status = new Uint8Array(4);
    load(p.mm, statusAt, status, 0, 4);
    expect(new DataView(status.buffer).getInt32(0, true)).toBe(3 << 8);
    sys(p.tid, SYS.exit_group, 0);
    expect(frames.stats().usedFrames).toBe(0);
  });
});

describe('typed arguments', () => {
  it('takes BigInts exactly over 64 bits', () => {
    const { sys, p } = world();
    const rw = PROT.PROT_READ | PROT.PROT_WRITE;
    const anon = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
    expect(sys(p.tid, SYS.munmap, 2n ** 64n - 1n, 1)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.munmap, 2n ** 64n - 4096n, 4096)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.mmap, 0, 2n ** 62n, rw, anon, -1, 0)).toBe(-Errno.ENOMEM);
    expect(sys(p.tid, SYS.mmap, 0, 2 ** 62, rw, anon, -1, 0)).toBe(-Errno.ENOMEM);
    // An offset that is page-aligned only in its high bits is still misaligned.
    expect(sys(p.tid, SYS.mmap, 0, 4096, rw, anon, -1, 2n ** 60n + 1n)).toBe(-Errno.EINVAL);
    // -1 as a BigInt int is -1, as an fd EBADF.
    expect(sys(p.tid, SYS.close, -1n)).toBe(-Errno.EBADF);
    // A BigInt int argument keeps its low 32 bits: 2^32 + 0 is fd 0's number... and none is open.
    expect(sys(p.tid, SYS.close, 2n ** 32n)).toBe(-Errno.EBADF);
    const a = sys(p.tid, SYS.mmap, 0n, 4096n, BigInt(rw), BigInt(anon), -1n, 0n);
    expect(a).toBeGreaterThan(0);
    expect(sys(p.tid, SYS.munmap, BigInt(a), 4096n)).toBe(0);
  });

  it('never passes a fraction or NaN to a handler', () => {
    const { sys, p } = world();
    const rw = PROT.PROT_READ | PROT.PROT_WRITE;
    const anon = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
    const a = sys(p.tid, SYS.mmap, 0.5, 4096.7, rw, anon, -1, Number.NaN);
    expect(Number.isInteger(a)).toBe(true);
    expect(a).toBeGreaterThan(0);
    expect(sys(p.tid, SYS.munmap, a + 0.9, 4096)).toBe(0);
    expect(sys(p.tid, SYS.munmap, Number.POSITIVE_INFINITY, 4096)).toBe(0); // Infinity is 0: unmapping nothing at 0
  });
});

describe('credentials', () => {
  it('a setuid is seen by the next permission check of the same task', () => {
    const { sys, p, vfs, tasks } = world(0);
    vfs.mkdir(vfs.kernelTask(), '/secret', 0o700);
    const at = p.stack.end - 256;
    store(p.mm, at, new TextEncoder().encode('/secret\0'), 0, 8);
    const thread = tasks.clone(p, { flags: 0x10f00, exitSignal: 0 });
    if (typeof thread === 'number') throw new Error('clone');
    expect(sys(p.tid, SYS.chdir, at)).toBe(0);
    expect(sys(p.tid, SYS.setuid, 1000)).toBe(0);
    expect(sys(p.tid, SYS.chdir, at)).toBe(-Errno.EACCES);
    expect(sys(p.tid, SYS.setuid, 0)).toBe(-Errno.EPERM);
    expect([sys(p.tid, SYS.getuid), sys(p.tid, SYS.geteuid)]).toEqual([1000, 1000]);
    // Credentials are per thread: the other thread is still root.
    expect(sys(thread.tid, SYS.geteuid)).toBe(0);
    expect(sys(thread.tid, SYS.chdir, at)).toBe(0);
  });

  it('follows kernel/sys.c for setreuid, setresuid, setfsuid and the saved uid', () => {
    const { sys, p } = world(0);
    const ids = p.stack.end - 64;
    const read3 = (): number[] => {
      const b = new Uint8Array(12);
      load(p.mm, ids, b, 0, 12);
      const v = new DataView(b.buffer);
      return [v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true)];
    };
    expect(sys(p.tid, SYS.setresuid, 1000, 1001, 0)).toBe(0);
    expect(sys(p.tid, SYS.getresuid, ids, ids + 4, ids + 8)).toBe(0);
    expect(read3()).toEqual([1000, 1001, 0]);
    expect(sys(p.tid, SYS.getresuid, ids, 0, ids + 8)).toBe(-Errno.EFAULT);
    // Not capable now (euid 1001), but the saved uid 0 may become the effective one.
    expect(sys(p.tid, SYS.setresuid, -1, 2000, -1)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.setreuid, -1, 0)).toBe(0);
    expect(sys(p.tid, SYS.getresuid, ids, ids + 4, ids + 8)).toBe(0);
    expect(read3()).toEqual([1000, 0, 0]);
    // setfsuid answers the old fs uid; euid 0 may pick any.
    expect(sys(p.tid, SYS.setfsuid, 4242)).toBe(0);
    expect(sys(p.tid, SYS.setfsuid, -1)).toBe(4242);
    expect(p.cred.fsuid).toBe(4242);
    // setreuid(ruid) moves the saved uid to the new effective uid.
    expect(sys(p.tid, SYS.setreuid, 1000, 1000)).toBe(0);
    expect(sys(p.tid, SYS.getresuid, ids, ids + 4, ids + 8)).toBe(0);
    expect(read3()).toEqual([1000, 1000, 1000]);
    expect(p.cred.fsuid).toBe(1000);
    expect(sys(p.tid, SYS.setuid, 0)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.setuid, -1)).toBe(-Errno.EINVAL);
  });

  it('sets and gets groups, as kernel/groups.c', () => {
    const { sys, p } = world(0);
    const list = p.stack.end - 64;
    const g = new Uint8Array(12);
    const v = new DataView(g.buffer);
    [30, 10, 20].forEach((x, i) => v.setUint32(i * 4, x, true));
    store(p.mm, list, g, 0, 12);
    expect(sys(p.tid, SYS.setgroups, 3, list)).toBe(0);
    expect(p.cred.groups).toEqual([10, 20, 30]);
    expect(sys(p.tid, SYS.getgroups, 0, 0)).toBe(3);
    expect(sys(p.tid, SYS.getgroups, 2, list)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.getgroups, -1, list)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.getgroups, 3, list)).toBe(3);
    expect(sys(p.tid, SYS.setgroups, 65537, list)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.setgid, 5)).toBe(0);
    expect(sys(p.tid, SYS.getegid)).toBe(5);
    expect(sys(p.tid, SYS.setuid, 7)).toBe(0);
    expect(sys(p.tid, SYS.setgroups, 0, 0)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.setgid, 6)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.setregid, -1, 5)).toBe(0);
  });
});
