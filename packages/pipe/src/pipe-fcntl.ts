import { Errno } from '@tskern/abi';
import type { OpenFileDescription } from '@tskern/vfs';
import { pipeEndOf } from './pipe-file';

/** fcntl commands of pipes (F_LINUX_SPECIFIC_BASE + 7 and + 8). */
export const PipeFcntl = {
  F_SETPIPE_SZ: 1031,
  F_GETPIPE_SZ: 1032,
} as const;

/**
 * pipe_fcntl: F_GETPIPE_SZ answers the capacity in bytes, F_SETPIPE_SZ sets
 * it (see `Pipe.setCapacity`; `arg` is an unsigned int). EBADF when `file`
 * is not a pipe, EINVAL for another command.
 */
export function pipeFcntl(file: OpenFileDescription, cmd: number, arg: number, privileged: boolean): number {
  const end = pipeEndOf(file);
  if (end === null) return -Errno.EBADF;
  switch (cmd) {
    case PipeFcntl.F_GETPIPE_SZ:
      return end.pipe.capacity;
    case PipeFcntl.F_SETPIPE_SZ:
      return end.pipe.setCapacity(arg >>> 0, privileged);
    default:
      return -Errno.EINVAL;
  }
}
