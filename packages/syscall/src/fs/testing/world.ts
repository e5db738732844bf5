// Handler tests run over a real Vfs on ramfs. @tskern/ramfs and
// @tskern/pagealloc are not dependencies of @tskern/syscall, so they are
// reached by path.
import { PAGE_SIZE } from '@tskern/abi';
import { Credentials, FdTable, Vfs } from '@tskern/vfs';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import type { FileSyscallContext } from '../context';
import { FakeMemory } from './fake-memory';

/** Scratch memory: a writable page run, then a read-only page. */
export const SCRATCH = 0x10000;
export const SCRATCH_SIZE = 16 * PAGE_SIZE;
export const READONLY = SCRATCH + SCRATCH_SIZE;

export function world(options: { uid?: number; fdLimit?: number } = {}) {
  const frames = new ArenaFrameAllocator({ frames: 256 });
  const vfs = new Vfs(new RamFs({ frames }));
  const kernel = vfs.kernelTask();
  vfs.mkdir(kernel, '/tmp', 0o777);
  vfs.chmod(kernel, '/tmp', 0o1777);
  const mem = new FakeMemory();
  const scratch = mem.map(SCRATCH, SCRATCH_SIZE);
  const readonly = mem.map(READONLY, PAGE_SIZE, false);
  const uid = options.uid ?? 1000;
  const fs = vfs.newFsContext(0o022);
  const ctx: FileSyscallContext = { mem, files: new FdTable(options.fdLimit), fs, cred: new Credentials(uid, uid), vfs };
  vfs.chdir(ctx, '/tmp');
  let next = SCRATCH;
  /** Put a NUL-terminated string (or raw bytes) in scratch memory and return its address. */
  const str = (s: string | Uint8Array): number => {
    const bytes = typeof s === 'string' ? new TextEncoder().encode(s + '\0') : s;
    const addr = next;
    scratch.set(bytes, addr - SCRATCH);
    next += Math.ceil(bytes.length / 8) * 8;
    return addr;
  };
  /** A zeroed buffer of `n` bytes in scratch memory. */
  const alloc = (n: number): number => {
    const addr = next;
    scratch.fill(0, addr - SCRATCH, addr - SCRATCH + n);
    next += Math.ceil(n / 8) * 8;
    return addr;
  };
  const bytes = (addr: number, n: number): Uint8Array => scratch.slice(addr - SCRATCH, addr - SCRATCH + n);
  const text = (addr: number, n: number): string => new TextDecoder().decode(bytes(addr, n));
  return { frames, vfs, mem, scratch, readonly, ctx, str, alloc, bytes, text };
}
