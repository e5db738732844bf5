/** What the host says about a file (lstat/fstat). Times in milliseconds since the epoch. */
export interface HostStat {
  /** A key unique to the host file while it exists (device and inode number, exact). */
  readonly id: string;
  /** st_ino (may lose precision above 2^53). */
  readonly ino: number;
  /** Full st_mode: file type and permission bits, in Linux's encoding. */
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** 512-byte blocks in use. */
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * What the host says about the file system holding the backend's root
 * (statfs(2) / Node's `fs.statfsSync`). Counts are in blocks of `blockSize`
 * bytes, file counts in inodes; 0 where the host reports no limit.
 */
export interface HostStatfs {
  readonly blockSize: number;
  readonly blocks: number;
  readonly freeBlocks: number;
  /** Free blocks an unprivileged user may take (f_bavail). */
  readonly availableBlocks: number;
  readonly files: number;
  readonly freeFiles: number;
  /** The host file system's magic number (f_type), when the host says it. */
  readonly hostMagic?: number;
}

/**
 * The host as hostfs uses it: synchronous calls on paths inside the backend's
 * root directory and on open handles. Each answers a value or `-errno`
 * (Linux's values from `@tskern/abi`) and never throws.
 *
 * Paths are byte strings (one character per byte, as the VFS keeps names):
 * `''` is the backend's root, `'/a/b'` a file below it. hostfs never passes
 * a `.` or `..` component, and never a path through a host symlink it knows
 * of (the VFS follows symlinks itself). A backend owns containment: it must
 * resolve each component below its root without following any host symlink
 * (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so that a stale or
 * hostile path names nothing outside; `NodeHostBackend` does.
 *
 * hostfs calls a backend through `GuardedHostBackend`: a throw or a
 * malformed answer becomes `-EIO`, and the backend must not call back into
 * the kernel (such calls are refused while one of its calls runs).
 *
 * Handles follow POSIX: they stay usable after their path is renamed or
 * unlinked, so an unlinked open file keeps its data. `NodeHostBackend`
 * implements this over `node:fs`; a browser host can implement it over its
 * own storage.
 */
export interface HostBackend {
  /** The file at `path`, not following a final symlink. */
  lstat(path: string): HostStat | number;
  /** Names in the directory `path` (no "." or ".."), in any order. */
  readdir(path: string): string[] | number;
  /**
   * Open `path` (never following a final symlink); `flags` are Linux's
   * O_RDONLY/O_WRONLY/O_RDWR with O_CREAT, O_EXCL, O_TRUNC; `mode` is for
   * O_CREAT (the host may apply its umask). A handle >= 0.
   */
  open(path: string, flags: number, mode: number): number;
  close(handle: number): number;
  fstat(handle: number): HostStat | number;
  /** Read up to `length` bytes at `position` into `dst[dstOffset..]`; fewer at EOF, 0 past it. */
  pread(handle: number, dst: Uint8Array, dstOffset: number, length: number, position: number): number;
  /** Write `length` bytes from `src[srcOffset..]` at `position` (possibly fewer: the count written). */
  pwrite(handle: number, src: Uint8Array, srcOffset: number, length: number, position: number): number;
  /** Flush the file to stable storage (fdatasync when `datasync`). */
  fsync(handle: number, datasync: boolean): number;
  ftruncate(handle: number, size: number): number;
  truncate(path: string, size: number): number;
  mkdir(path: string, mode: number): number;
  rmdir(path: string): number;
  unlink(path: string): number;
  /** rename(2): replaces `to` as POSIX does. */
  rename(from: string, to: string): number;
  /** Make `path` a symlink to `target` (stored as given). */
  symlink(target: string, path: string): number;
  readlink(path: string): string | number;
  /** Permission bits of `path` (chmod(2); follows nothing hostfs passes). */
  chmod(path: string, mode: number): number;
  /** Owner of `path` itself, not following a symlink (lchown(2)); -1 keeps an id. */
  chown(path: string, uid: number, gid: number): number;
  /**
   * Access and modification times of `path` itself, in milliseconds since
   * the epoch (lutimes(2)). Optional: without it hostfs keeps the times
   * utimensat sets in memory only, until the host's are read again.
   */
  utimes?(path: string, atimeMs: number, mtimeMs: number): number;
  /**
   * Space and inode figures of the host file system holding the root.
   * Optional: without it hostfs's statfs reports no limits (0 counts), as a
   * file system that does not count its space.
   */
  statfs?(): HostStatfs | number;
}
