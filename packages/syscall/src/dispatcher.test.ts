import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { memoryOptions, standaloneSharedAnonymous, load, store } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { ProcessTable, type FsContextLike } from '@tskern/process';
import { i32, i64, u64 } from './args';
import { SyscallDispatcher } from './dispatcher';
import type { MmapFdTable } from './process-types';
import { coreSyscalls } from './table';

class NoFiles implements MmapFdTable {
  get(): undefined {
    return undefined;
  }
  fork(): this {
    return this;
  }
  execCloseOnExec(): void {}
  closeAll(): void {}
}
class NoFs implements FsContextLike {
  fork(): this {
    return this;
  }
}

function world() {
  const frames = new ArenaFrameAllocator({ frames: 1024 });
  const processes = new ProcessTable<MmapFdTable, FsContextLike>(memoryOptions(frames, standaloneSharedAnonymous(frames)), {
    newFiles: () => new NoFiles(),
    newFs: () => new NoFs(),
  });
  processes.registerProgram('/bin/p', { stackSize: 16 * 4096 });
  const sys = new SyscallDispatcher({ processes }, [coreSyscalls()]);
  const p = processes.spawn('/bin/p', { uid: 1000, gid: 1000, groups: [] }, '/', 0o022);
  if (typeof p === 'number') throw new Error('spawn');
  return { sys, p, processes, frames };
}

describe('raw argument conversion', () => {
  it('reads negative numbers as two\'s complement', () => {
    expect(u64(-1)).toBe(2 ** 64 - 1);
    expect(u64(4096)).toBe(4096);
    expect(i32(2 ** 32 - 1)).toBe(-1);
    expect(i32(-1)).toBe(-1);
    expect(u64(Number.NaN)).toBe(2 ** 64 - 1);
    // A register value of 2^63 or more is a negative loff_t (the fuzzer's lseek finding).
    expect(i64(0xfffffffffffff000)).toBe(-4096);
    expect(i64(-4096)).toBe(-4096);
    expect(i64(2 ** 62)).toBe(2 ** 62);
  });
});

describe('SyscallDispatcher', () => {
  it('answers ENOSYS for unknown numbers and ESRCH for unknown processes', () => {
    const { sys, p } = world();
    expect(sys.call(p.pid, 9999)).toBe(-Errno.ENOSYS);
    expect(sys.call(p.pid, -5)).toBe(-Errno.ENOSYS);
    expect(sys.call(424242, SYS.getpid)).toBe(-Errno.ESRCH);
    expect(sys.call(p.pid, SYS.getpid)).toBe(p.pid);
    expect(sys.call(p.pid, SYS.getuid)).toBe(1000);
  });

  it('mmaps through raw arguments and checks the offset before the fd', () => {
    const { sys, p } = world();
    const rw = PROT.PROT_READ | PROT.PROT_WRITE;
    expect(sys.call(p.pid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE, 3, 1)).toBe(-Errno.EINVAL);
    expect(sys.call(p.pid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE, 3, 0)).toBe(-Errno.EBADF);
    expect(sys.call(p.pid, SYS.mmap, 0, -1, rw, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0)).toBe(-Errno.ENOMEM);
    const a = sys.call(p.pid, SYS.mmap, 0, 4096, rw, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(a).toBeGreaterThan(0);
    expect(sys.call(p.pid, SYS.munmap, a, 4096)).toBe(0);
    expect(sys.call(p.pid, SYS.munmap, a, -1)).toBe(-Errno.EINVAL);
  });

  it('copies the mincore vector out and fails with EFAULT on a bad pointer', () => {
    const { sys, p } = world();
    const a = sys.call(p.pid, SYS.mmap, 0, 8192, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_POPULATE, -1, 0);
    const vecAddr = p.stack.end - 64;
    expect(sys.call(p.pid, SYS.mincore, a, 8192, vecAddr)).toBe(0);
    const vec = new Uint8Array(2);
    load(p.mm, vecAddr, vec, 0, 2);
    expect([...vec]).toEqual([1, 1]);
    expect(sys.call(p.pid, SYS.mincore, a, 8192, 0)).toBe(-Errno.EFAULT);
  });

  it('forks, execs, exits and waits', () => {
    const { sys, p, processes, frames } = world();
    const child = sys.call(p.pid, SYS.fork);
    expect(child).toBeGreaterThan(p.pid);
    expect(sys.call(child, SYS.getppid)).toBe(p.pid);
    const path = new TextEncoder().encode('/bin/p\0');
    const at = p.stack.end - 128;
    expect(sys.call(child, SYS.execve, 0, 0, 0)).toBe(-Errno.EFAULT);
    const c = processes.get(child)!;
    // Put the path on the child's stack and exec it.
    store(c.mm, at, path, 0, path.length);
    expect(sys.call(child, SYS.execve, at, 0, 0)).toBe(0);
    expect(sys.call(child, SYS.exit_group, 7)).toBe(0);
    expect(sys.call(child, SYS.getpid)).toBe(-Errno.ESRCH);
    const statusAt = p.stack.end - 8;
    expect(sys.call(p.pid, SYS.wait4, child, statusAt, 0, 0)).toBe(child);
    const status = new Uint8Array(4);
    load(p.mm, statusAt, status, 0, 4);
    expect(new DataView(status.buffer).getInt32(0, true)).toBe(7 << 8);
    expect(sys.call(p.pid, SYS.wait4, -1, 0, 0, 0)).toBe(-Errno.ECHILD);
    sys.call(p.pid, SYS.exit_group, 0);
    expect(frames.stats().usedFrames).toBe(0);
  });
});
