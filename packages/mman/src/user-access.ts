import { Errno, PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { handleFault } from './fault';
import { PTE_READ, PTE_WRITE } from './pte';

/**
 * Loads and stores as the CPU makes them, page by page: a page whose entry
 * allows the access is copied directly; any other page takes the fault path.
 * Returns 0 or the signal of the first faulting page; bytes before it are done
 * (a faulting memcpy leaves its prefix behind).
 */
export function load(as: AddressSpace, addr: number, dst: Uint8Array, dstOffset: number, length: number): number {
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
    dst.set(mem.subarray(base, base + n), dstOffset + done);
    done += n;
  }
  return 0;
}

/** Store `src[srcOffset, srcOffset + length)` at `addr`. */
export function store(as: AddressSpace, addr: number, src: Uint8Array, srcOffset: number, length: number): number {
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
    frames.memory(frame).set(src.subarray(srcOffset + done, srcOffset + done + n), frames.offset(frame) + inPage);
    done += n;
  }
  return 0;
}

/** Store `length` copies of `byte` at `addr` (memset). */
export function fill(as: AddressSpace, addr: number, length: number, byte: number): number {
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
  const chunks: Uint8Array[] = [];
  let total = 0;
  const page = new Uint8Array(PAGE_SIZE);
  let a = addr;
  while (total <= max) {
    const n = Math.min(PAGE_SIZE - (a % PAGE_SIZE), max + 1 - total);
    if (load(as, a, page, 0, n) !== 0) return -Errno.EFAULT;
    const nul = page.subarray(0, n).indexOf(0);
    if (nul >= 0) {
      chunks.push(page.slice(0, nul));
      total += nul;
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    }
    chunks.push(page.slice(0, n));
    total += n;
    a += n;
  }
  return -Errno.ENAMETOOLONG;
}
