import { DEFAULT_STACK_LIMIT } from './locks-and-limits';

/** MAX_ARG_STRLEN (include/uapi/linux/binfmts.h): the longest single argument or environment string, NUL included (32 pages). */
export const MAX_ARG_STRLEN = 32 * 4096;
/** ARG_MAX: the argument space execve always allows, however small RLIMIT_STACK is (32 pages). */
export const ARG_MAX = 32 * 4096;

/**
 * The bytes execve's argument and environment strings and their pointers
 * may take, as fs/exec.c bprm_stack_limits sizes it from the caller's soft
 * RLIMIT_STACK (`stackLimit` in bytes, Infinity when unlimited): a quarter
 * of it, at most 3/4 of _STK_LIM (6 MiB) so a huge limit cannot starve the
 * stack, at least ARG_MAX.
 */
export function execArgumentSpace(stackLimit: number): number {
  return Math.max(Math.min(Math.floor(DEFAULT_STACK_LIMIT / 4) * 3, Math.floor(stackLimit / 4)), ARG_MAX);
}
