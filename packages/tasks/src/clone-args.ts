import { CLONE, CLONE_NEW_MASK, Errno } from '@tskern/abi';

/** What a new task is made with (Linux's `struct kernel_clone_args`). */
export interface CloneArgs {
  /** clone flags (CLONE_*), without the exit signal byte. */
  readonly flags: number;
  /** The signal the parent gets when the child process exits (SIGCHLD for fork; 0 for none). */
  readonly exitSignal: number;
  /** The child's stack pointer; 0 keeps the parent's. */
  readonly stack?: number;
  /** CLONE_PARENT_SETTID: where the child's tid is stored in the parent's memory. */
  readonly parentTid?: number;
  /** CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID: the address in the child's memory. */
  readonly childTid?: number;
  /** CLONE_SETTLS: the child's thread pointer. */
  readonly tls?: number;
}

/**
 * The flag combinations copy_process (kernel/fork.c) refuses with EINVAL:
 * CLONE_NEWNS with CLONE_FS, CLONE_THREAD without CLONE_SIGHAND, CLONE_SIGHAND
 * without CLONE_VM. tskern has one namespace of each kind and no pidfds, so
 * the CLONE_NEW* flags and CLONE_PIDFD are EINVAL too. Returns 0 or -EINVAL.
 */
export function checkCloneFlags(flags: number): number {
  if ((flags & (CLONE.CLONE_NEWNS | CLONE.CLONE_FS)) === (CLONE.CLONE_NEWNS | CLONE.CLONE_FS)) return -Errno.EINVAL;
  if ((flags & CLONE.CLONE_THREAD) !== 0 && (flags & CLONE.CLONE_SIGHAND) === 0) return -Errno.EINVAL;
  if ((flags & CLONE.CLONE_SIGHAND) !== 0 && (flags & CLONE.CLONE_VM) === 0) return -Errno.EINVAL;
  if ((flags & CLONE_NEW_MASK) !== 0 || (flags & CLONE.CLONE_PIDFD) !== 0) return -Errno.EINVAL;
  return 0;
}
