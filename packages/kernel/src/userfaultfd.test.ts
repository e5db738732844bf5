import { CLONE, Errno, MAP, MREMAP, O, PROT, SYS_RISCV64 as R } from '@tskern/abi';
import { handleUserFault } from '@tskern/mman';
import { describe, expect, it } from 'vitest';
import { ecall, runUntil, rvKernel, type RvTask } from './testing/rv-tasks';
import type { Kernel } from './kernel';
import type { TaskRuntime } from './runtime';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const THREAD_FLAGS = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD;
/** The ioctl requests (include/uapi/linux/userfaultfd.h: _IOWR/_IOR(0xAA, nr, struct)). */
const UFFDIO_API = 0xc018aa3f;
const UFFDIO_REGISTER = 0xc020aa00;
const UFFDIO_UNREGISTER = 0x8010aa01;
const UFFDIO_WAKE = 0x8010aa02;
const UFFDIO_COPY = 0xc028aa03;
const UFFDIO_ZEROPAGE = 0xc020aa04;
const DONTWAKE = 1;

function u64s(...values: (number | bigint)[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
  return b;
}

function readU64s(k: Kernel, pid: number, at: number, n: number): bigint[] {
  const b = new Uint8Array(n * 8);
  k.load(pid, at, b);
  const v = new DataView(b.buffer);
  return Array.from({ length: n }, (_, i) => v.getBigInt64(i * 8, true));
}

/**
 * A process with two threads: `main` holds a userfaultfd (O_NONBLOCK, API
 * done) with `pages` private anonymous pages registered for missing faults;
 * `thread` is the one that faults. `arg` is scratch memory for ioctl structs.
 */
function setup(pages = 3): { k: Kernel; rt: TaskRuntime; main: RvTask; thread: number; uffd: number; area: number; arg: number } {
  const { k, rt, spawn } = rvKernel();
  const main = spawn();
  runUntil(rt, main.pid);
  const thread = ecall(rt, main, R.clone, THREAD_FLAGS, main.top - 64 * K, 0, 0, 0) as number;
  expect(thread).toBeGreaterThan(main.pid);
  const uffd = ecall(rt, main, R.userfaultfd, O.O_CLOEXEC | O.O_NONBLOCK) as number;
  expect(uffd).toBeGreaterThanOrEqual(0);
  const arg = main.top - 32 * K;
  k.store(main.pid, arg, u64s(0xaa, 0, 0));
  expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_API, arg)).toBe(0);
  const area = ecall(rt, main, R.mmap, 0, pages * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0) as number;
  k.store(main.pid, arg, u64s(area, pages * K, 1, 0));
  expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(0);
  return { k, rt, main, thread, uffd, area, arg };
}

/** The thread runs, touches `addr` as the CPU would, and must sleep there: the runtime parks it. */
function faultAndSleep(k: Kernel, rt: TaskRuntime, thread: number, addr: number, write: boolean): void {
  runUntil(rt, thread);
  const mm = k.tasks.get(thread)!.mm;
  const wait = handleUserFault(mm, addr / K, write);
  expect(typeof wait).toBe('object'); // not a signal, not FAULT_OK
  expect(mm.pt.flags(addr / K)).toBe(0); // nothing allocated
  rt.waitInFault(thread, wait as Exclude<typeof wait, number>);
}

describe('userfaultfd: a missing page blocks the faulting thread until the handler resolves it', () => {
  it('the handshake: API 0xAA reports features and ioctls once; a second UFFDIO_API is EINVAL', () => {
    const { k, rt, main, uffd, arg } = setup();
    k.store(main.pid, arg, u64s(0xaa, 0, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_API, arg)).toBe(-Errno.EINVAL);
    expect(readU64s(k, main.pid, arg, 3)).toEqual([0n, 0n, 0n]); // err_out zeroes the struct
    const fresh = ecall(rt, main, R.userfaultfd, O.O_NONBLOCK) as number;
    k.store(main.pid, arg, u64s(0xab, 0, 0));
    expect(ecall(rt, main, R.ioctl, fresh, UFFDIO_API, arg)).toBe(-Errno.EINVAL); // wrong API
    k.store(main.pid, arg, u64s(0xaa, 1n << 1n, 0)); // UFFD_FEATURE_EVENT_FORK: not offered
    expect(ecall(rt, main, R.ioctl, fresh, UFFDIO_API, arg)).toBe(-Errno.EINVAL);
    k.store(main.pid, arg, u64s(0, 0, 0, 0));
    expect(ecall(rt, main, R.ioctl, fresh, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL); // before UFFDIO_API
    k.store(main.pid, arg, u64s(0xaa, 0, 0));
    expect(ecall(rt, main, R.ioctl, fresh, UFFDIO_API, arg)).toBe(0);
    const [api, , ioctls] = readU64s(k, main.pid, arg, 3);
    expect(api).toBe(0xaan);
    expect(BigInt.asUintN(64, ioctls!)).toBe((1n << 63n) | 3n); // register, unregister, API
    expect(ecall(rt, main, R.userfaultfd, 0x10)).toBe(-Errno.EINVAL);
  });

  it('UFFDIO_REGISTER reports wake/copy/zeropage; WP and MINOR modes, a hole-only range and a file mapping are EINVAL', () => {
    const { k, rt, main, uffd, area, arg } = setup();
    const again = ecall(rt, main, R.mmap, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0) as number;
    k.store(main.pid, arg, u64s(again, K, 1, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(0);
    expect(readU64s(k, main.pid, arg + 24, 1)).toEqual([0x1cn]);
    k.store(main.pid, arg, u64s(area, K, 2, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL);
    k.store(main.pid, arg, u64s(area, K, 4, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL);
    k.store(main.pid, arg, u64s(area + 1, K, 1, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL);
    ecall(rt, main, R.munmap, again, K);
    k.store(main.pid, arg, u64s(again, K, 1, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL);
    // A file mapping cannot be tracked (EINVAL); shared anonymous memory (shmem) can.
    const path = arg + 4096;
    k.store(main.pid, path, new TextEncoder().encode('/file\0'));
    const fd = ecall(rt, main, R.openat, -100, path, O.O_RDWR | O.O_CREAT, 0o600) as number;
    expect(ecall(rt, main, R.ftruncate, fd, K)).toBe(0);
    const file = ecall(rt, main, R.mmap, 0, K, RW, MAP.MAP_PRIVATE, fd, 0) as number;
    k.store(main.pid, arg, u64s(file, K, 1, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(-Errno.EINVAL);
    const shm = ecall(rt, main, R.mmap, 0, K, PROT.PROT_READ, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0) as number;
    k.store(main.pid, arg, u64s(shm, K, 1, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_REGISTER, arg)).toBe(0);
  });

  it('read answers EAGAIN while empty, then the fault once (event, WRITE flag, page address); UFFDIO_COPY wakes the thread', () => {
    const { k, rt, main, thread, uffd, area, arg } = setup();
    const msg = arg + 1024;
    expect(ecall(rt, main, R.read, uffd, msg, 32)).toBe(-Errno.EAGAIN);
    rt.preempt(main.pid);
    faultAndSleep(k, rt, thread, area + K, true);
    runUntil(rt, main.pid);
    expect(ecall(rt, main, R.read, uffd, msg, 31)).toBe(-Errno.EINVAL);
    expect(ecall(rt, main, R.read, uffd, msg, 64)).toBe(32);
    const [head, flags, address] = readU64s(k, main.pid, msg, 3);
    expect(Number(head! & 0xffn)).toBe(0x12); // UFFD_EVENT_PAGEFAULT
    expect(flags).toBe(1n); // UFFD_PAGEFAULT_FLAG_WRITE
    expect(address).toBe(BigInt(area + K));
    expect(ecall(rt, main, R.read, uffd, msg, 32)).toBe(-Errno.EAGAIN); // read once, still asleep
    expect(rt.blockOf(thread)).toBeDefined();

    const src = arg + 8 * K;
    k.store(main.pid, src, new TextEncoder().encode('EFGH'));
    k.store(main.pid, arg, u64s(area + K, src, K, 0, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_COPY, arg)).toBe(0);
    expect(readU64s(k, main.pid, arg + 32, 1)).toEqual([BigInt(K)]);
    rt.preempt(main.pid);
    expect(runUntil(rt, thread)).toEqual({ kind: 'run', tid: thread, result: null }); // reruns the access, no call result
    const got = new Uint8Array(4);
    k.load(thread, area + K, got);
    expect(new TextDecoder().decode(got)).toBe('EFGH');
    // The page is there now: a second copy is EEXIST, in the result and the copy field.
    rt.preempt(thread);
    runUntil(rt, main.pid);
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_COPY, arg)).toBe(-Errno.EEXIST);
    expect(readU64s(k, main.pid, arg + 32, 1)).toEqual([BigInt(-Errno.EEXIST)]);
  });

  it('a fill with DONTWAKE leaves the thread asleep until UFFDIO_WAKE; ZEROPAGE maps zeros', () => {
    const { k, rt, main, thread, uffd, area, arg } = setup();
    rt.preempt(main.pid);
    faultAndSleep(k, rt, thread, area, false);
    runUntil(rt, main.pid);
    k.store(main.pid, arg, u64s(area, K, DONTWAKE, 0));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_ZEROPAGE, arg)).toBe(0);
    expect(readU64s(k, main.pid, arg + 24, 1)).toEqual([BigInt(K)]);
    rt.preempt(main.pid);
    expect(runUntil(rt, main.pid)).toEqual({ kind: 'run', tid: main.pid, result: null }); // the thread still sleeps
    expect(rt.blockOf(thread)).toBeDefined();
    k.store(main.pid, arg, u64s(area, K));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_WAKE, arg)).toBe(0);
    rt.preempt(main.pid);
    expect(runUntil(rt, thread)).toEqual({ kind: 'run', tid: thread, result: null });
    const got = new Uint8Array(K);
    k.load(thread, area, got);
    expect(got.every((b) => b === 0)).toBe(true);
  });

  it('poll sees POLLIN while a fault is unread; closing the userfaultfd wakes the thread and the fault resolves normally', () => {
    const { k, rt, main, thread, uffd, area, arg } = setup();
    const pfd = arg + 2048;
    const entry = new Uint8Array(8);
    new DataView(entry.buffer).setInt32(0, uffd, true);
    new DataView(entry.buffer).setInt16(4, 1, true); // POLLIN
    k.store(main.pid, pfd, entry);
    k.store(main.pid, arg, u64s(0, 0)); // a zero timeout
    expect(ecall(rt, main, R.ppoll, pfd, 1, arg, 0, 8)).toBe(0);
    rt.preempt(main.pid);
    faultAndSleep(k, rt, thread, area + 2 * K, false);
    runUntil(rt, main.pid);
    expect(ecall(rt, main, R.ppoll, pfd, 1, 0, 0, 8)).toBe(1);
    const revents = new Uint8Array(2);
    k.load(main.pid, pfd + 6, revents);
    expect(revents[0]).toBe(1);
    expect(ecall(rt, main, R.close, uffd)).toBe(0);
    rt.preempt(main.pid);
    expect(runUntil(rt, thread)).toEqual({ kind: 'run', tid: thread, result: null });
    const mm = k.tasks.get(thread)!.mm;
    expect(handleUserFault(mm, (area + 2 * K) / K, false)).toBe(0); // unregistered: an ordinary zero page
    expect(mm.vmas.find(area)!.value.uffd).toBeNull();
  });

  it('UNREGISTER wakes the faults of its range; MREMAP_DONTUNMAP keeps the old range registered and empty', () => {
    const { k, rt, main, thread, uffd, area, arg } = setup(1);
    k.store(main.pid, area, new TextEncoder().encode('ABCD'));
    const moved = ecall(rt, main, R.mremap, area, K, K, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_DONTUNMAP, 0) as number;
    expect(moved).toBeGreaterThan(0);
    const mm = k.tasks.get(main.pid)!.mm;
    expect(mm.vmas.find(moved)!.value.uffd).toBeNull(); // no UFFD_FEATURE_EVENT_REMAP
    expect(mm.vmas.find(area)!.value.uffd).not.toBeNull();
    rt.preempt(main.pid);
    faultAndSleep(k, rt, thread, area, false);
    runUntil(rt, main.pid);
    k.store(main.pid, arg, u64s(area, K));
    expect(ecall(rt, main, R.ioctl, uffd, UFFDIO_UNREGISTER, arg)).toBe(0);
    rt.preempt(main.pid);
    expect(runUntil(rt, thread)).toEqual({ kind: 'run', tid: thread, result: null });
  });
});
