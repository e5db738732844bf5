import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Errno, MAP, MS, O, PAGE_SIZE, PROT, Signal } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { AddressSpace, load, memoryOptions, mmap, mprotect, msync, munmap, standaloneSharedAnonymous, store } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostFs, GuardedHostBackend, HostFile, mountHost, type HostBackend, type HostFs } from './index';
import { NodeHostBackend } from './node';
import { encodeText, ok } from '@tskern/test-kit';

const P = PAGE_SIZE;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

type Hook = (method: string) => void;

/** A backend that runs `hook` before each call (to throw, or to call back into the kernel). */
function hooked(inner: HostBackend, hook: { current: Hook | null }): HostBackend {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        hook.current?.(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function setup() {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-faults-'));
  const node = new NodeHostBackend(dir);
  cleanups.push(() => {
    node.dispose();
    nodeFs.rmSync(dir, { recursive: true, force: true });
  });
  const hook: { current: Hook | null } = { current: null };
  const frames = new ArenaFrameAllocator({ frames: 128 });
  const host = ok(createHostFs({ backend: hooked(node, hook), frames })) as HostFs;
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  expect(mountHost(vfs, host, '/mnt')).toBe(0);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
  const as = new AddressSpace(memoryOptions(frames, standaloneSharedAnonymous(frames)));
  const onHost = (name: string) => nodeFs.readFileSync(nodePath.join(dir, name), 'latin1');
  /** A two-page host file "data" holding "A..." and "B...", open, mapped shared read-write, page 0 resident and stored to. */
  const mapped = () => {
    nodeFs.writeFileSync(nodePath.join(dir, 'data'), 'A'.repeat(P) + 'B'.repeat(P));
    const f = ok(vfs.open(root, '/mnt/data', O.O_RDWR, 0));
    const addr = mmap(as, 0, 2 * P, RW, MAP.MAP_SHARED, ok(f.mmapSource()), 0);
    expect(addr).toBeGreaterThan(0);
    expect(store(as, addr, encodeText('precious'), 0, 8)).toBe(0);
    return { f, addr, file: f.inode as HostFile };
  };
  return { dir, hook, frames, host, vfs, root, as, onHost, mapped };
}

type Setup = ReturnType<typeof setup>;

describe('a backend that throws', () => {
  it('every call through hostfs answers EIO; nothing escapes; the dirty page survives and reaches the host later', () => {
    const s = setup();
    const { vfs, root, as, hook, frames, host } = s;
    const { f, addr, file } = s.mapped();
    const dirFd = ok(vfs.open(root, '/mnt', O.O_RDONLY | O.O_DIRECTORY, 0));
    hook.current = () => {
      throw new Error('the disk is on fire');
    };
    const buf = new Uint8Array(16);
    // Each of these used to let the Error out.
    expect(vfs.open(root, '/mnt/data', O.O_RDWR, 0)).toBe(-Errno.EIO);
    expect(vfs.open(root, '/mnt/new', O.O_RDWR | O.O_CREAT, 0o644)).toBe(-Errno.EIO);
    expect(vfs.stat(root, '/mnt/data', false)).toBe(-Errno.EIO);
    expect(f.pread(buf, 0, 16, P)).toBe(-Errno.EIO); // page 1 is not cached
    expect(f.pread(buf, 0, 8, 0)).toBe(8); // page 0 is
    expect(f.fsync(false)).toBe(-Errno.EIO);
    expect(msync(as, addr, 2 * P, MS.MS_SYNC)).toBe(-Errno.EIO);
    expect(f.truncate(P, root.cred)).toBe(-Errno.EIO);
    expect(vfs.truncate(root, '/mnt/data', 0)).toBe(-Errno.EIO);
    expect(vfs.rename(root, '/mnt/data', '/mnt/moved')).toBe(-Errno.EIO);
    expect(vfs.unlink(root, '/mnt/data')).toBe(-Errno.EIO);
    expect(vfs.mkdir(root, '/mnt/sub', 0o755)).toBe(-Errno.EIO);
    expect(vfs.symlink(root, 'x', '/mnt/l')).toBe(-Errno.EIO);
    expect(vfs.chmod(root, '/mnt/data', 0o600)).toBe(-Errno.EIO);
    const names: string[] = [];
    expect(dirFd.iterateDir((n) => (names.push(n), true), root)).toBe(0);
    expect(names).toEqual(['.', '..']); // the listing the host refused reads as empty
    expect(load(as, addr + P, buf, 0, 4)).toBe(Signal.SIGBUS); // fault on page 1
    expect(load(as, addr, buf, 0, 8)).toBe(0);
    expect(msync(as, addr, 2 * P, MS.MS_SYNC)).toBe(-Errno.EIO);
    // The last references go while the host is down: nothing is lost, nothing thrown.
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
    dirFd.decRef();
    expect(host.sync()).toBe(-Errno.EIO);
    expect(file.active).toBe(true);
    file.checkInvariants();
    as.check();
    // The host comes back: the next sync writes the page and drops the cache.
    hook.current = null;
    expect(host.sync()).toBe(0);
    expect(s.onHost('data').slice(0, 9)).toBe('preciousA');
    expect(file.active).toBe(false);
    as.releaseAll();
    expect(frames.stats().usedFrames).toBe(0);
  });

  it('malformed answers are EIO too: a read longer than asked, a handle that is no number, a thrown non-Error', () => {
    const inner: HostBackend = new Proxy({} as HostBackend, {
      get: (_t, prop) => {
        if (prop === 'pread') return () => 1 << 30;
        if (prop === 'open') return () => 'three';
        if (prop === 'lstat') return () => ({ nonsense: true });
        return () => {
          throw 'a string';
        };
      },
    });
    const g = new GuardedHostBackend(inner);
    expect(g.pread(0, new Uint8Array(8), 0, 8, 0)).toBe(-Errno.EIO);
    expect(g.open('/x', O.O_RDONLY, 0)).toBe(-Errno.EIO);
    expect(g.lstat('/x')).toBe(-Errno.EIO);
    expect(g.fsync(3, false)).toBe(-Errno.EIO);
    expect(g.readdir('')).toBe(-Errno.EIO);
  });
});

describe('a backend that calls back into the kernel', () => {
  /** Arm the backend to run `reenter` once, from inside its next `method` call. */
  function once(s: Setup, method: string, reenter: () => void): { ran: boolean } {
    const state = { ran: false };
    s.hook.current = (m) => {
      if (m !== method || state.ran) return;
      state.ran = true;
      reenter();
    };
    return state;
  }

  it('a fault whose page-in unmaps the faulting mapping: SIGBUS, no page-table entry outside a VMA', () => {
    const s = setup();
    const { as } = s;
    const { f, addr } = s.mapped();
    let inner = 1;
    const state = once(s, 'pread', () => {
      inner = munmap(as, addr, 2 * P); // the mapping goes while its page is being read
    });
    expect(load(as, addr + P, new Uint8Array(4), 0, 4)).toBe(Signal.SIGBUS);
    expect(state.ran).toBe(true);
    expect(inner).toBe(0); // the unmap itself cannot be refused
    as.check(); // no page-table entry outside every VMA
    expect(load(as, addr + P, new Uint8Array(4), 0, 4)).toBe(Signal.SIGSEGV);
    s.hook.current = null;
    f.decRef();
    expect(s.onHost('data').slice(0, 8)).toBe('precious');
    as.releaseAll();
    expect(s.frames.stats().usedFrames).toBe(0);
  });

  it('a fault whose page-in makes the mapping read-only: SIGBUS, then a fresh fault obeys the new protection', () => {
    const s = setup();
    const { as } = s;
    const { f, addr } = s.mapped();
    once(s, 'pread', () => expect(mprotect(as, addr, 2 * P, PROT.PROT_READ)).toBe(0));
    expect(store(as, addr + P, encodeText('x'), 0, 1)).toBe(Signal.SIGBUS);
    as.check();
    s.hook.current = null;
    expect(store(as, addr + P, encodeText('x'), 0, 1)).toBe(Signal.SIGSEGV);
    const got = new Uint8Array(1);
    expect(load(as, addr + P, got, 0, 1)).toBe(0);
    expect(String.fromCharCode(got[0]!)).toBe('B');
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
    as.releaseAll();
    expect(s.frames.stats().usedFrames).toBe(0);
  });

  it('data calls and truncates from inside a backend call are refused with EIO, and the interrupted call fails', () => {
    const s = setup();
    const { as, root } = s;
    const { f, addr } = s.mapped();
    const inner: number[] = [];
    once(s, 'pread', () => {
      inner.push(f.truncate(0, root.cred));
      inner.push(f.pwrite(encodeText('zz'), 0, 2, P));
      inner.push(f.pread(new Uint8Array(2), 0, 2, 0));
      inner.push(f.fsync(false));
      inner.push(msync(as, addr, P, MS.MS_SYNC));
      inner.push(typeof s.vfs.open(root, '/mnt/data', O.O_RDONLY, 0) === 'number' ? -Errno.EIO : 0);
    });
    expect(f.pread(new Uint8Array(4), 0, 4, P)).toBe(-Errno.EIO);
    expect(inner).toEqual(Array(6).fill(-Errno.EIO));
    s.hook.current = null;
    const got = new Uint8Array(4);
    expect(f.pread(got, 0, 4, P)).toBe(4); // nothing was truncated: the page reads from the host
    expect(String.fromCharCode(...got)).toBe('BBBB');
    as.check();
    expect(munmap(as, addr, 2 * P)).toBe(0);
    f.decRef();
    expect(s.onHost('data')).toBe('precious' + 'A'.repeat(P - 8) + 'B'.repeat(P));
    as.releaseAll();
    expect(s.frames.stats().usedFrames).toBe(0);
  });

  it('the last close from inside a write-back keeps the cache for a later sync', () => {
    const s = setup();
    const { as, host } = s;
    const { f, addr, file } = s.mapped();
    let closed: OpenFileDescription | null = f;
    once(s, 'pwrite', () => {
      expect(munmap(as, addr, 2 * P)).toBe(0);
      closed?.decRef();
      closed = null;
    });
    expect(msync(as, addr, 2 * P, MS.MS_SYNC)).toBe(-Errno.EIO);
    expect(closed).toBe(null);
    expect(file.active).toBe(true);
    as.check();
    s.hook.current = null;
    expect(host.sync()).toBe(0);
    expect(file.active).toBe(false);
    expect(s.onHost('data').slice(0, 8)).toBe('precious');
    as.releaseAll();
    expect(s.frames.stats().usedFrames).toBe(0);
  });
});
