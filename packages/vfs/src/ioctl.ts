import type { Credentials } from './credentials';
import type { OpenFileDescription } from './open-file-description';

/**
 * What a file's own ioctl (f_op->unlocked_ioctl) gets besides the request
 * and its argument: the caller's memory to copy structures in and out
 * (copy_from_user/copy_to_user), its credentials (capable()), its other open
 * files (fdget, as LOOP_SET_FD takes an fd) and the architecture whose
 * structure layouts the request uses. The syscall layer makes one per call.
 */
export interface IoctlContext {
  /** The description the ioctl was made on. */
  readonly file: OpenFileDescription;
  readonly cred: Credentials;
  /** The caller's architecture (`x86_64`, `riscv64`): layouts with `long` or `__kernel_old_dev_t` differ. */
  readonly arch: string;
  /** copy_from_user: 0, or -EFAULT when part of the range is not readable. */
  copyIn(addr: number, dst: Uint8Array, dstOffset: number, length: number): number;
  /** copy_to_user: 0, or -EFAULT when part of the range is not writable. */
  copyOut(addr: number, src: Uint8Array, srcOffset: number, length: number): number;
  /** fdget: the caller's open file `fd` (O_PATH ones excluded), or null (EBADF). */
  fileAt(fd: number): OpenFileDescription | null;
}
