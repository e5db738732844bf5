/**
 * What a process holds besides memory, as the process table sees it: only the
 * lifecycle hooks of fork, execve and exit. The composition root plugs in the
 * VFS's fd table and fs context; tests plug in small fakes.
 */
export interface FdTableLike {
  /** The child's table: the same open file descriptions, the same fd numbers. */
  fork(): this;
  /** Close every close-on-exec descriptor (execve). */
  execCloseOnExec(): void;
  /** Close everything (exit). */
  closeAll(): void;
}

/** Root, cwd and umask: copied by fork, kept by execve. */
export interface FsContextLike {
  fork(): this;
  /** The process exited: drop what the context holds (the cwd's inode). */
  release?(): void;
}

/** Who a process is, for permission checks. */
export interface Credentials {
  uid: number;
  gid: number;
  groups: number[];
}
