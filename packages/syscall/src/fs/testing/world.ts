// Handler tests run over a real Vfs on ramfs, with a task whose memory is a
// fake over Uint8Arrays.
import { PAGE_SIZE, SYS } from '@tskern/abi';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { TaskTable, type Task } from '@tskern/tasks';
import { Credentials, Vfs } from '@tskern/vfs';
import { x86_64Personality } from '../../arch/x86-64';
import type { RawArg } from '../../args';
import { invoke } from '../../syscall-table';
import { FakeMemory } from './fake-memory';

/** Scratch memory: a writable page run, then a read-only page. */
export const SCRATCH = 0x10000;
export const SCRATCH_SIZE = 16 * PAGE_SIZE;
export const READONLY = SCRATCH + SCRATCH_SIZE;

const x86 = x86_64Personality();

/**
 * Call a syscall by x86-64 number as `task`, through its table entry
 * (arguments converted by their kinds). A bigint result (lseek past 2^53)
 * is returned as the nearest number; `sysExact` keeps it.
 */
export function sys(task: Task, nr: number, ...args: RawArg[]): number {
  return Number(sysExact(task, nr, ...args));
}

/** As `sys`, with the exact result: a number, or a bigint past 2^53. */
export function sysExact(task: Task, nr: number, ...args: RawArg[]): number | bigint {
  const e = x86.table.get(nr);
  if (e === undefined) throw new Error(`no handler for ${nr}`);
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0] = args;
  const r = invoke(e, task, a0, a1, a2, a3, a4, a5);
  if (typeof r === 'object') throw new Error(`syscall ${nr} blocked: ${r.reason}`);
  return r;
}

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
  const tasks = new TaskTable({
    memory: memoryOptions(frames, standaloneSharedAnonymous(frames)),
    vfs,
    ...(options.fdLimit !== undefined ? { fdLimit: options.fdLimit } : {}),
  });
  tasks.registerProgram('/bin/test', { stackSize: PAGE_SIZE });
  const ctx = tasks.spawn('/bin/test', { cred: new Credentials(uid, uid), abi: x86.abi, cwd: '/tmp', memory: mem });
  if (typeof ctx === 'number') throw new Error(`spawn: ${ctx}`);
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
  /** The signed 64-bit word at `addr` (a loff_t the call wrote back). */
  const i64 = (addr: number): bigint => new DataView(bytes(addr, 8).buffer).getBigInt64(0, true);
  /** A signed 64-bit word in scratch memory (a loff_t argument); its address. */
  const put64 = (v: bigint): number => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, v, true);
    return str(b);
  };
  /** open(2) of `path` (mode 0600 when created): the fd or -errno. */
  const open = (path: string, flags: number): number => sys(ctx, SYS.open, str(path), flags, 0o600);
  /** The file position of `fd` (lseek SEEK_CUR 0). */
  const pos = (fd: number): number => sys(ctx, SYS.lseek, fd, 0, 1);
  return { frames, vfs, mem, scratch, readonly, ctx, tasks, str, alloc, bytes, text, i64, put64, open, pos };
}
