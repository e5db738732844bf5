import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, Signal, SYS } from '@tskern/abi';
import { ChunkedFrameAllocator } from '@tskern/pagealloc';
import { createKernel } from './kernel';
import { readProcessFile } from './testing/read-file';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const enc = new TextEncoder();

/** Whole files read 1000 bytes a call, so longer ones take several reads. */
const readFile = (k: ReturnType<typeof createKernel>, pid: number, path: string): string => readProcessFile(k, pid, path, 1000);

describe('the default kernel', () => {
  it('serves /proc/self/maps, /proc/<pid>/status and /proc/mounts through procfs', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
    const a = k.syscall(p, SYS.mmap, 0, 8192, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);
    const maps = readFile(k, p, '/proc/self/maps');
    expect(maps).toContain(`${a.toString(16)}-${(a + 8192).toString(16)} rw-s 00000000 00:01 `);
    expect(maps).toMatch(/\[stack\]\n$/);
    expect(readFile(k, p, `/proc/${p}/status`)).toContain(`Pid:\t${p}`);
    expect(readFile(k, p, '/proc/mounts')).toContain('/dev/shm tmpfs');
  });

  it('lists a process\'s threads in /proc/<pid>/task; each is a directory with its own status and comm', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
    // CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
    const t = k.syscall(p, SYS.clone, 0x10f00, k.stack(p).end - 8192, 0, 0, 0);
    expect(t).toBeGreaterThan(p);
    const { end } = k.stack(p);
    const pathAt = end - 4096;
    k.store(p, pathAt, enc.encode(`/proc/${p}/task\0`));
    const fd = k.syscall(p, SYS.open, pathAt, 0o200000, 0); // O_DIRECTORY
    const bufAt = end - 65536;
    const n = k.syscall(p, SYS.getdents64, fd, bufAt, 4096);
    const buf = new Uint8Array(Math.max(0, n));
    k.load(p, bufAt, buf);
    const names: string[] = [];
    for (let off = 0; off < n; ) {
      const reclen = buf[off + 16]! | (buf[off + 17]! << 8);
      const name = buf.subarray(off + 19, off + reclen);
      names.push(new TextDecoder().decode(name.subarray(0, name.indexOf(0))));
      off += reclen;
    }
    expect(names.filter((x) => !x.startsWith('.'))).toEqual([String(p), String(t)]);
    const status = readFile(k, p, `/proc/${p}/task/${t}/status`);
    expect(status).toContain(`Tgid:\t${p}\n`);
    expect(status).toContain(`Pid:\t${t}\n`);
    expect(readFile(k, p, `/proc/self/task/${t}/comm`)).toBe('app\n');
    expect(readFile(k, p, `/proc/${p}/task/${t}/task/${t}/comm`)).toBe(`open: ${-Errno.ENOENT}`);
  });

  for (const [name, make] of [
    ['arena allocator', () => createKernel()],
    ['chunked allocator', () => createKernel({ frames: new ChunkedFrameAllocator({ chunkFrames: 64 }) })],
  ] as const) {
    it(`shares memory across fork and returns every frame at the end (${name})`, () => {
      const k = make();
      k.registerProgram('/bin/app', {});
      const p = k.spawn('/bin/app', { uid: 1000, gid: 1000 });
      const shared = k.syscall(p, SYS.mmap, 0, 8192, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);
      const priv = k.syscall(p, SYS.mmap, 0, 8192, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
      expect(k.store(p, shared, enc.encode('hello'))).toBe(0);
      expect(k.store(p, priv, enc.encode('mine'))).toBe(0);
      const c = k.syscall(p, SYS.fork);
      expect(k.store(c, shared + 1, enc.encode('E'))).toBe(0);
      expect(k.store(c, priv, enc.encode('yours'))).toBe(0);
      const out = new Uint8Array(5);
      expect(k.load(p, shared, out)).toBe(0);
      expect(new TextDecoder().decode(out)).toBe('hEllo');
      expect(k.load(p, priv, out.subarray(0, 4))).toBe(0);
      expect(new TextDecoder().decode(out.subarray(0, 4))).toBe('mine');
      expect(k.fill(p, priv, 3, 0x41)).toBe(0);
      expect(k.syscall(p, SYS.mprotect, priv, 8192, PROT.PROT_READ)).toBe(0);
      expect(k.store(p, priv, enc.encode('x'))).toBe(Signal.SIGSEGV);
      expect(readFile(k, p, '/proc/self/maps')).toContain('/dev/zero (deleted)');
      k.syscall(c, SYS.exit_group, 0);
      k.syscall(p, SYS.wait4, c, 0, 0, 0);
      k.syscall(p, SYS.exit_group, 0);
      expect(k.isAlive(p)).toBe(false);
      expect(k.framesInUse()).toBe(0);
    });
  }

  it('answers errno values, never exceptions, for bad input', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    expect(k.syscall(p, 12345)).toBe(-Errno.ENOSYS);
    expect(k.syscall(p, SYS.munmap, 1, 1)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.mmap, 0, 0, 0, 0, 0, 0)).toBe(-Errno.EBADF);
    expect(k.syscall(p, SYS.mmap, 0, 0, 0, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0)).toBe(-Errno.EINVAL);
    expect(k.load(p, 0, new Uint8Array(1))).toBe(Signal.SIGSEGV);
    expect(k.load(99, 0, new Uint8Array(1))).toBe(Signal.SIGSEGV);
    expect(k.spawn('/bin/missing')).toBe(-Errno.ENOENT);
    expect(k.stack(p).end).toBeGreaterThan(k.stack(p).start);
  });

  it('SIGBUSes a fault when frames run out, and keeps serving', () => {
    const k = createKernel({ frames: new ChunkedFrameAllocator({ chunkFrames: 8, maxFrames: 8 }) });
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const a = k.syscall(p, SYS.mmap, 0, 64 * 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    let sig = 0;
    for (let i = 0; i < 64 && sig === 0; i++) sig = k.fill(p, a + i * 4096, 1, 1);
    expect(sig).toBe(Signal.SIGBUS);
    expect(k.syscall(p, SYS.munmap, a, 64 * 4096)).toBe(0);
    expect(k.fill(p, k.syscall(p, SYS.mmap, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0), 1, 1)).toBe(0);
  });
});
