import { Errno, PAGE_SIZE, type FaultResult } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { handleFault } from './fault';
import { PTE_READ, PTE_WRITE } from './pte';

/**
 * Copies up to this many bytes go byte by byte: a `subarray` view per copy
 * (an allocation) cost more than the copy for the small words calls read
 * and write most (a futex word, a timespec, a pid).
 */
const SMALL_COPY = 32;

/**
 * Loads and stores as the CPU makes them, page by page: a page whose entry
 * allows the access is copied directly; any other page takes the fault path.
 * Returns 0 or the signal of the first faulting page; bytes before it are done
 * (a faulting memcpy leaves its prefix behind).
 */
export function load(as: AddressSpace, addr: number, dst: Uint8Array, dstOffset: number, length: number): FaultResult {
  const pt = as.pt;
  const frames = as.frames;
  let done = 0;
  while (done < length) {
    const a = addr + done;
    const page = Math.floor(a / PAGE_SIZE);
    const inPage = a - page * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, length - done);
    if ((pt.flags(page) & PTE_READ) === 0) {
      const sig = handleFault(as, page, false);
      if (sig !== 0) return sig;
    }
    const frame = pt.frame(page);
    const mem = frames.memory(frame);
    const base = frames.offset(frame) + inPage;
    if (n <= SMALL_COPY) {
      const to = dstOffset + done;
      for (let i = 0; i < n; i++) dst[to + i] = mem[base + i]!;
    } else {
      dst.set(mem.subarray(base, base + n), dstOffset + done);
    }
    done += n;
  }
  return 0;
}

/** Store `src[srcOffset, srcOffset + length)` at `addr`. */
export function store(as: AddressSpace, addr: number, src: Uint8Array, srcOffset: number, length: number): FaultResult {
  const pt = as.pt;
  const frames = as.frames;
  let done = 0;
  while (done < length) {
    const a = addr + done;
    const page = Math.floor(a / PAGE_SIZE);
    const inPage = a - page * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, length - done);
    if ((pt.flags(page) & PTE_WRITE) === 0) {
      const sig = handleFault(as, page, true);
      if (sig !== 0) return sig;
    }
    const frame = pt.frame(page);
    const mem = frames.memory(frame);
    const base = frames.offset(frame) + inPage;
    if (n <= SMALL_COPY) {
      const from = srcOffset + done;
      for (let i = 0; i < n; i++) mem[base + i] = src[from + i]!;
    } else {
      mem.set(src.subarray(srcOffset + done, srcOffset + done + n), base);
    }
    done += n;
  }
  return 0;
}

/** Store `length` copies of `byte` at `addr` (memset). */
export function fill(as: AddressSpace, addr: number, length: number, byte: number): FaultResult {
  const pt = as.pt;
  const frames = as.frames;
  let done = 0;
  while (done < length) {
    const a = addr + done;
    const page = Math.floor(a / PAGE_SIZE);
    const inPage = a - page * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, length - done);
    if ((pt.flags(page) & PTE_WRITE) === 0) {
      const sig = handleFault(as, page, true);
      if (sig !== 0) return sig;
    }
    const frame = pt.frame(page);
    const base = frames.offset(frame) + inPage;
    frames.memory(frame).fill(byte, base, base + n);
    done += n;
  }
  return 0;
}

/**
 * Visit user memory [addr, addr + length) page by page, faulting each page in
 * for a store (`write`) or a load, and hand `fn` the frame bytes that back it:
 * bulk I/O then copies once, between a file's page cache and the user's
 * frames. `fn` returns how many bytes it used; fewer than offered ends the
 * walk. Returns the total, or -EFAULT when the first page faults.
 */
export function forEachUserChunk(
  as: AddressSpace,
  addr: number,
  length: number,
  write: boolean,
  fn: (bytes: Uint8Array, offset: number, n: number) => number,
): number {
  if (!accessOk(as, addr, length)) return -Errno.EFAULT;
  const pt = as.pt;
  const frames = as.frames;
  const need = write ? PTE_WRITE : PTE_READ;
  let done = 0;
  while (done < length) {
    // Gather a run of pages whose frames lie back to back in one array (the
    // arena allocator hands out neighbours), so `fn` copies the run at once.
    let runBytes: Uint8Array | null = null;
    let runStart = 0;
    let runLength = 0;
    let faulted = false;
    while (done + runLength < length) {
      const a = addr + done + runLength;
      const page = Math.floor(a / PAGE_SIZE);
      const inPage = a - page * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done - runLength);
      if ((pt.flags(page) & need) === 0 && handleFault(as, page, write) !== 0) {
        faulted = true;
        break;
      }
      const frame = pt.frame(page);
      const bytes = frames.memory(frame);
      const at = frames.offset(frame) + inPage;
      if (runBytes === null) {
        runBytes = bytes;
        runStart = at;
      } else if (bytes !== runBytes || at !== runStart + runLength) {
        break;
      }
      runLength += n;
    }
    if (runBytes === null) return done > 0 ? done : -Errno.EFAULT;
    const used = fn(runBytes, runStart, runLength);
    if (used < 0) return done > 0 ? done : used;
    done += used;
    if (used < runLength || faulted) break;
  }
  return done;
}

/** Bounds a user pointer range must respect before any page is touched (access_ok). */
function accessOk(as: AddressSpace, addr: number, length: number): boolean {
  return Number.isSafeInteger(addr) && addr >= 0 && length >= 0 && addr + length <= as.options.taskSize;
}

/** copy_from_user: 0 or -EFAULT. */
export function copyIn(as: AddressSpace, addr: number, dst: Uint8Array, dstOffset: number, length: number): number {
  if (!accessOk(as, addr, length)) return -Errno.EFAULT;
  return load(as, addr, dst, dstOffset, length) === 0 ? 0 : -Errno.EFAULT;
}

/** copy_to_user: 0 or -EFAULT. */
export function copyOut(as: AddressSpace, addr: number, src: Uint8Array, srcOffset: number, length: number): number {
  if (!accessOk(as, addr, length)) return -Errno.EFAULT;
  return store(as, addr, src, srcOffset, length) === 0 ? 0 : -Errno.EFAULT;
}

/**
 * strncpy_from_user for a NUL-terminated string of at most `max` bytes before
 * the NUL: the bytes, -EFAULT, or -ENAMETOOLONG (as fs/namei.c:getname).
 */
export function readString(as: AddressSpace, addr: number, max: number): Uint8Array | number {
  if (!accessOk(as, addr, 1)) return -Errno.EFAULT;
  const pt = as.pt;
  const frames = as.frames;
  let parts: Uint8Array[] | null = null;
  let total = 0;
  let a = addr;
  // Look for the NUL in the frames themselves: one copy of the string, no scratch page.
  while (total <= max) {
    const page = Math.floor(a / PAGE_SIZE);
    const inPage = a - page * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, max + 1 - total);
    if ((pt.flags(page) & PTE_READ) === 0 && handleFault(as, page, false) !== 0) return -Errno.EFAULT;
    const frame = pt.frame(page);
    const base = frames.offset(frame) + inPage;
    const bytes = frames.memory(frame).subarray(base, base + n);
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      if (parts === null) return bytes.slice(0, nul);
      parts.push(bytes.subarray(0, nul));
      const out = new Uint8Array(total + nul);
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    }
    (parts ??= []).push(bytes.slice());
    total += n;
    a += n;
  }
  return -Errno.ENAMETOOLONG;
}
