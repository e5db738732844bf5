import { Errno } from '@tskern/abi';
import type { Clock, FileSystem, FsCaller } from '@tskern/vfs';
import { ProcSymlink } from './proc-nodes';

/**
 * /proc/self (fs/proc/self.c:proc_self_get_link): a symlink to the caller's
 * pid; ENOENT for a caller that is not a process (the kernel itself). Owned
 * by root, mode 0777, size 0.
 */
export class ProcSelf extends ProcSymlink {
  readonly uid = 0;
  readonly gid = 0;

  target(caller: FsCaller): string | number {
    return caller.pid === undefined ? -Errno.ENOENT : String(caller.pid);
  }
}

/** A /proc symlink with a fixed body (/proc/mounts -> self/mounts, made by proc_symlink). */
export class ProcFixedLink extends ProcSymlink {
  readonly uid = 0;
  readonly gid = 0;

  constructor(
    fs: FileSystem,
    ino: number,
    clock: Clock,
    private readonly body: string,
  ) {
    super(fs, ino, clock);
  }

  target(): string {
    return this.body;
  }
}
