import { copyIn, copyOut, forEachUserChunk, readString, type AddressSpace } from '@tskern/mman';

/**
 * A task's memory as syscall handlers reach it: copy-in and copy-out of
 * pointer arguments (Linux's copy_from_user / copy_to_user /
 * strncpy_from_user). A bad pointer answers `-EFAULT`, never throws.
 */
export interface UserMemory {
  /** Copy `length` bytes from `addr` into `dst` (at `dstOffset`). Returns 0 or -EFAULT. */
  copyIn(addr: number, dst: Uint8Array, dstOffset: number, length: number): number;
  /** Copy `length` bytes of `src` (from `srcOffset`) to `addr`. Returns 0 or -EFAULT. */
  copyOut(addr: number, src: Uint8Array, srcOffset: number, length: number): number;
  /**
   * Read a NUL-terminated string of at most `max` bytes before the NUL
   * (PATH_MAX for paths). Returns the bytes without the NUL, -EFAULT, or
   * -ENAMETOOLONG when no NUL comes within `max` bytes.
   */
  readString(addr: number, max: number): Uint8Array | number;
  /**
   * Optional zero-copy access, for bulk I/O: visit [addr, addr + length) page
   * by page as the CPU would (faulting each page in for a store when `write`,
   * else for a load), handing `fn` the bytes that back it directly
   * (`bytes[offset .. offset + n)`). `fn` returns how many it used; fewer than
   * `n` ends the walk. Returns the total used, or -EFAULT when the first page
   * faults (a later fault ends the walk with the count so far).
   */
  chunks?(addr: number, length: number, write: boolean, fn: (bytes: Uint8Array, offset: number, n: number) => number): number;
}

/**
 * The memory of whatever address space `owner.mm` is at the time of the
 * access, so it stays right across execve (which gives the task a new one).
 */
export function addressSpaceMemory(owner: { readonly mm: AddressSpace }): UserMemory {
  return {
    copyIn: (addr, dst, dstOffset, length) => copyIn(owner.mm, addr, dst, dstOffset, length),
    copyOut: (addr, src, srcOffset, length) => copyOut(owner.mm, addr, src, srcOffset, length),
    readString: (addr, max) => readString(owner.mm, addr, max),
    chunks: (addr, length, write, fn) => forEachUserChunk(owner.mm, addr, length, write, fn),
  };
}
