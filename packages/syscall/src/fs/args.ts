import { Errno, PAGE_MASK, PATH_MAX, TASK_SIZE } from '@tskern/abi';
import { byteStringFromBytes } from '@tskern/vfs';
import type { UserMemory } from '@tskern/tasks';

/**
 * The most one read or write moves (MAX_RW_COUNT: INT_MAX rounded down to a
 * page; Linux's PAGE_MASK is the complement of abi's).
 */
export const MAX_RW_COUNT = 0x7fffffff & ~PAGE_MASK;

/** An `int` argument (the low 32 bits, signed), as a C prototype truncates it. */
export function int(x: number): number {
  return x | 0; // ToInt32: modulo 2^32, exact for every integer a register number holds
}

/** A uid_t/gid_t argument: 32 bits unsigned, with (uid_t)-1 as -1 ("leave unchanged"). */
export function id(x: number): number {
  const u = x >>> 0;
  return u === 0xffffffff ? -1 : u;
}

/** A umode_t argument: 16 bits. */
export function mode(x: number): number {
  return x & 0xffff;
}

/**
 * access_ok: [addr, addr + len) lies in user space. A negative number stands
 * for a huge unsigned one, which never does.
 */
export function accessOk(addr: number, len: number): boolean {
  return addr >= 0 && len >= 0 && addr + len <= TASK_SIZE;
}

/**
 * getname: a path argument as a byte string. EFAULT for a bad pointer, ENOENT
 * for an empty path, ENAMETOOLONG unless the NUL comes within PATH_MAX bytes
 * (strncpy_from_user(..., PATH_MAX) == PATH_MAX: at most PATH_MAX - 1 bytes).
 */
export function readPath(mem: UserMemory, addr: number): string | number {
  const r = mem.readString(addr, PATH_MAX - 1);
  if (typeof r === 'number') return r;
  if (r.length === 0) return -Errno.ENOENT;
  if (r.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
  return byteStringFromBytes(r);
}

/** Bytes up to the next user page boundary from `addr` (copies stop at the first bad page). */
function toPageEnd(addr: number): number {
  return PAGE_MASK + 1 - (addr & PAGE_MASK);
}

/**
 * copy_to_user that may stop short: copies `len` bytes of `src` to `addr` page
 * by page and returns how many were copied before the first fault.
 */
export function copyOutPartial(mem: UserMemory, addr: number, src: Uint8Array, srcOffset: number, len: number): number {
  let done = 0;
  while (done < len) {
    const n = Math.min(len - done, toPageEnd(addr + done));
    if (mem.copyOut(addr + done, src, srcOffset + done, n) < 0) break;
    done += n;
  }
  return done;
}

/** copy_from_user that may stop short: bytes copied into `dst` before the first fault. */
export function copyInPartial(mem: UserMemory, addr: number, dst: Uint8Array, dstOffset: number, len: number): number {
  let done = 0;
  while (done < len) {
    const n = Math.min(len - done, toPageEnd(addr + done));
    if (mem.copyIn(addr + done, dst, dstOffset + done, n) < 0) break;
    done += n;
  }
  return done;
}
