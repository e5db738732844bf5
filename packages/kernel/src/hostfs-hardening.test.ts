import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno, MAP, MS, O, PROT, Signal, SYS } from '@tskern/abi';
import type { HostBackend } from '@tskern/hostfs';
import { NodeHostBackend } from '@tskern/hostfs/node';
import { hostFolder } from './host-folder';
import { createKernel, type Kernel } from './kernel';

const enc = new TextEncoder();
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const AT_FDCWD = -100;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Strings and buffers in the process's stack, below its top. */
function user(k: Kernel, pid: number) {
  let next = k.stack(pid).end - 4096;
  const str = (text: string): number => {
    const at = (next -= 512);
    k.store(pid, at, enc.encode(text + '\0'));
    return at;
  };
  const buf = (size: number): number => (next -= Math.ceil(size / 64) * 64);
  return { str, buf };
}

/** A base folder with inside/ (mounted at /host) and outside/secret, and a process. */
function world(backend?: (inner: HostBackend) => HostBackend) {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tskern-contain-')));
  const inside = join(base, 'inside');
  const outside = join(base, 'outside');
  mkdirSync(inside);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'secret');
  chmodSync(join(outside, 'secret'), 0o644);
  const node = new NodeHostBackend(inside);
  cleanups.push(() => {
    node.dispose();
    rmSync(base, { recursive: true, force: true });
  });
  const snapshot = () => {
    const st = lstatSync(join(outside, 'secret'));
    return [readdirSync(outside).join(','), readFileSync(join(outside, 'secret'), 'latin1'), st.mode, st.size, st.ino, st.uid];
  };
  const before = snapshot();
  const k = createKernel({ mounts: [{ path: '/host', fs: hostFolder(inside, backend?.(node) ?? node) }] });
  k.registerProgram('/bin/app', {});
  const pid = k.spawn('/bin/app');
  const u = user(k, pid);
  const sys = (nr: number, ...args: number[]) => k.syscall(pid, nr, ...args);
  return { base, inside, outside, k, pid, u, sys, untouched: () => expect(snapshot()).toEqual(before) };
}

describe('the stale-directory escape, through kernel.syscall', () => {
  it('openat through a removed directory fd, and relative calls from a removed cwd, are ENOENT: the outside file is untouched', () => {
    const { outside, u, sys, untouched } = world();
    expect(sys(SYS.mkdir, u.str('/host/d'), 0o755)).toBe(0);
    const dfd = sys(SYS.open, u.str('/host/d'), O.O_RDONLY | O.O_DIRECTORY, 0);
    expect(dfd).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.chdir, u.str('/host/d'))).toBe(0);
    expect(sys(SYS.rmdir, u.str('/host/d'))).toBe(0);
    expect(sys(SYS.symlink, u.str(outside), u.str('/host/d'))).toBe(0);
    const secret = u.str('secret');
    const stat = u.buf(256);
    for (const flags of [O.O_RDONLY, O.O_RDWR, O.O_RDWR | O.O_TRUNC, O.O_WRONLY | O.O_CREAT | O.O_TRUNC]) {
      expect(sys(SYS.openat, dfd, secret, flags, 0o6777)).toBe(-Errno.ENOENT);
      expect(sys(SYS.openat, AT_FDCWD, secret, flags, 0o6777)).toBe(-Errno.ENOENT);
    }
    expect(sys(SYS.truncate, secret, 0)).toBe(-Errno.ENOENT);
    expect(sys(SYS.chmod, secret, 0o4777)).toBe(-Errno.ENOENT);
    expect(sys(SYS.stat, secret, stat)).toBe(-Errno.ENOENT);
    expect(sys(SYS.unlink, secret)).toBe(-Errno.ENOENT);
    expect(sys(SYS.rename, secret, u.str('/host/stolen'))).toBe(-Errno.ENOENT);
    expect(sys(SYS.mkdir, u.str('new'), 0o755)).toBe(-Errno.ENOENT);
    expect(sys(SYS.fchdir, dfd)).toBe(0);
    expect(sys(SYS.open, secret, O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
    expect(sys(SYS.getdents64, dfd, u.buf(1024), 1024)).toBe(-Errno.ENOENT); // IS_DEADDIR, as Linux
    // Through the mount the new "d" is a symlink resolved in the guest's tree.
    expect(sys(SYS.open, u.str('/host/d/secret'), O.O_RDWR | O.O_TRUNC, 0)).toBe(-Errno.ENOENT);
    untouched();
  });

  it('set-id bits never reach the host file by default', () => {
    const { inside, u, sys } = world();
    const fd = sys(SYS.open, u.str('/host/prog'), O.O_RDWR | O.O_CREAT, 0o755);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.fchmod, fd, 0o6755)).toBe(0);
    expect(lstatSync(join(inside, 'prog')).mode & 0o7777).toBe(0o755);
  });
});

describe('a host backend that throws, through kernel.syscall', () => {
  it('no Error escapes: every call answers a number (EIO where the host was needed), and state stays consistent', () => {
    const armed = { on: false };
    const throwing = (inner: HostBackend): HostBackend =>
      new Proxy(inner, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (typeof v !== 'function') return v;
          return (...args: unknown[]) => {
            if (armed.on) throw new Error(`host ${String(prop)} failed`);
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const { inside, k, pid, u, sys } = world(throwing);
    const path = u.str('/host/data');
    const fd = sys(SYS.open, path, O.O_RDWR | O.O_CREAT, 0o644);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.ftruncate, fd, 8192)).toBe(0);
    const dirfd = sys(SYS.open, u.str('/host'), O.O_RDONLY | O.O_DIRECTORY, 0);
    const a = sys(SYS.mmap, 0, 8192, RW, MAP.MAP_SHARED, fd, 0);
    expect(a).toBeGreaterThan(0);
    expect(k.store(pid, a, enc.encode('precious'))).toBe(0);
    const buf = u.buf(4096);
    k.store(pid, buf, enc.encode('data'));
    const other = sys(SYS.open, u.str('/host/other'), O.O_RDWR | O.O_CREAT, 0o644);
    expect(sys(SYS.write, other, buf, 4)).toBe(4);
    const [newPath, movedPath, subPath, statBuf, dents] = [u.str('/host/new'), u.str('/host/moved'), u.str('/host/sub'), u.buf(256), u.buf(1024)];
    k.fill(pid, dents, 1024, 0);
    k.fill(pid, statBuf, 256, 0);
    const framesBefore = k.framesInUse();

    armed.on = true;
    expect(sys(SYS.open, path, O.O_RDWR, 0)).toBe(-Errno.EIO);
    expect(sys(SYS.open, newPath, O.O_RDWR | O.O_CREAT, 0o644)).toBe(-Errno.EIO);
    expect(sys(SYS.pread64, fd, buf, 16, 4096)).toBe(-Errno.EIO); // page 1 not cached
    expect(sys(SYS.pwrite64, fd, buf, 4, 8)).toBe(4); // page 0 is: no host call
    expect(sys(SYS.msync, a, 8192, MS.MS_SYNC)).toBe(-Errno.EIO);
    expect(sys(SYS.fsync, fd)).toBe(-Errno.EIO);
    expect(sys(SYS.stat, path, statBuf)).toBe(-Errno.EIO);
    expect(sys(SYS.fstat, fd, statBuf)).toBe(0);
    expect(sys(SYS.getdents64, dirfd, dents, 1024)).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.rename, path, movedPath)).toBe(-Errno.EIO);
    expect(sys(SYS.unlink, path)).toBe(-Errno.EIO);
    expect(sys(SYS.truncate, path, 0)).toBe(-Errno.EIO);
    expect(sys(SYS.ftruncate, fd, 0)).toBe(-Errno.EIO);
    expect(sys(SYS.mkdir, subPath, 0o755)).toBe(-Errno.EIO);
    expect(k.load(pid, a + 4096, new Uint8Array(4))).toBe(Signal.SIGBUS); // mmap fault on page 1
    expect(k.framesInUse()).toBe(framesBefore);
    expect(sys(SYS.close, other)).toBe(0); // the last close: its write-back throws, the data stays cached
    expect(sys(SYS.close, fd)).toBe(0);
    expect(sys(SYS.close, dirfd)).toBe(0);
    expect(sys(SYS.munmap, a, 8192)).toBe(0); // the last reference: its write-back fails, the data stays

    armed.on = false;
    // The dirty pages were kept: the next open finds them, fsync writes them.
    const again = sys(SYS.open, path, O.O_RDWR, 0);
    expect(again).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.fsync, again)).toBe(0);
    expect(readFileSync(join(inside, 'data'), 'latin1').slice(0, 12)).toBe('preciousdata');
    expect(sys(SYS.close, again)).toBe(0);
    const reopened = sys(SYS.open, u.str('/host/other'), O.O_RDONLY, 0);
    expect(sys(SYS.fsync, reopened)).toBe(0);
    expect(readFileSync(join(inside, 'other'), 'latin1')).toBe('data');
    expect(sys(SYS.close, reopened)).toBe(0);
    expect(sys(SYS.exit_group, 0)).toBe(0);
  });
});
