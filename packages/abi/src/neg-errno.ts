/**
 * The result types of the syscall boundary. Linux returns `-errno` in the
 * same register as a successful result (arch/x86/entry/common.c stores the
 * handler's long in rax; userspace tests -4095..-1, see IS_ERR_VALUE in
 * include/linux/err.h). tskern keeps that representation — a plain JavaScript
 * number, no allocation — and adds a compile-time brand so that the other
 * negative and small numbers the memory code passes around (a "no frame"
 * sentinel, a translate fault, a signal number) cannot be returned where an
 * errno is expected. The brand is a type only: it costs nothing at run time.
 */
declare const negErrnoBrand: unique symbol;

/** A negated errno (-4095..-1): the failure half of every syscall result. */
export type NegErrno = number & { readonly [negErrnoBrand]: 'NegErrno' };

/**
 * Zero or `-errno`: the result of a call whose success carries no value
 * (munmap, mprotect, msync, madvise, a hole punch).
 */
export type Status = 0 | NegErrno;

/**
 * A raw syscall result: a non-negative value (a count, an fd, an address) or
 * a `NegErrno`. Success values stay plain numbers because they are whatever
 * the call returns; use `isError` to tell the halves apart, and `Status`
 * where success is only 0 so that the compiler can check the failure half.
 */
export type SyscallResult = number;

/** `-errno` for a (positive) errno value: `err(Errno.EINVAL)` is -22 as a NegErrno. */
export function err(errno: number): NegErrno {
  return -errno as NegErrno;
}

/** True when a raw syscall result is an error (Linux: -4095..-1, IS_ERR_VALUE). */
export function isError(result: number): result is NegErrno {
  return result < 0 && result >= -4095;
}
