/**
 * Constants of file locks, memory locking, the heap, fallocate, statfs and
 * resource limits (Linux x86-64; riscv64 uses the same asm-generic values).
 */

/** fcntl(2) record-lock commands (asm-generic/fcntl.h on 64-bit: F_GETLK is 5, the OFD forms 36..38). */
export const F_LOCK = {
  F_GETLK: 5,
  F_SETLK: 6,
  F_SETLKW: 7,
  F_OFD_GETLK: 36,
  F_OFD_SETLK: 37,
  F_OFD_SETLKW: 38,
} as const;

/** `struct flock` l_type values. */
export const LOCK_TYPE = { F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2 } as const;

/** Layout of `struct flock` on 64-bit Linux (32 bytes: two shorts, two off_t, a pid_t, padding). */
export const FLOCK_STRUCT = { size: 32, l_type: 0, l_whence: 2, l_start: 8, l_len: 16, l_pid: 24 } as const;

/** flock(2) operations (uapi asm-generic/fcntl.h). */
export const LOCK = { LOCK_SH: 1, LOCK_EX: 2, LOCK_NB: 4, LOCK_UN: 8 } as const;

/** Largest file offset (OFFSET_MAX, loff_t's maximum): a record lock with l_len 0 ends here. */
export const OFFSET_MAX = 0x7fffffffffffffffn;

/** mlockall(2) flags and mlock2(2)'s flag (uapi asm-generic/mman-common.h). */
export const MCL = { MCL_CURRENT: 1, MCL_FUTURE: 2, MCL_ONFAULT: 4 } as const;
export const MLOCK_ONFAULT = 0x01;

/** fallocate(2) modes (uapi linux/falloc.h). */
export const FALLOC_FL = {
  FALLOC_FL_KEEP_SIZE: 0x01,
  FALLOC_FL_PUNCH_HOLE: 0x02,
  FALLOC_FL_NO_HIDE_STALE: 0x04,
  FALLOC_FL_COLLAPSE_RANGE: 0x08,
  FALLOC_FL_ZERO_RANGE: 0x10,
  FALLOC_FL_INSERT_RANGE: 0x20,
  FALLOC_FL_UNSHARE_RANGE: 0x40,
  FALLOC_FL_WRITE_ZEROES: 0x80,
} as const;

/** File-system magic numbers reported in statfs's f_type (uapi linux/magic.h). */
export const FS_MAGIC = {
  TMPFS_MAGIC: 0x01021994,
  RAMFS_MAGIC: 0x858458f6,
  PROC_SUPER_MAGIC: 0x9fa0,
  /** UML's hostfs: a host directory seen through the kernel's own page cache. */
  HOSTFS_SUPER_MAGIC: 0x00c0ffee,
  SYSFS_MAGIC: 0x62656572,
  CGROUP2_SUPER_MAGIC: 0x63677270,
} as const;

/**
 * Layout of `struct statfs` on 64-bit Linux (x86-64 and riscv64: 120 bytes of
 * longs and fsid's two ints, asm-generic/statfs.h).
 */
export const STATFS_STRUCT = {
  size: 120,
  f_type: 0,
  f_bsize: 8,
  f_blocks: 16,
  f_bfree: 24,
  f_bavail: 32,
  f_files: 40,
  f_ffree: 48,
  f_fsid: 56,
  f_namelen: 64,
  f_frsize: 72,
  f_flags: 80,
  f_spare: 88,
} as const;

/** statfs f_flags bits (ST_* of statvfs, as the kernel reports mount flags). */
export const ST = {
  ST_RDONLY: 0x0001,
  ST_NOSUID: 0x0002,
  ST_NODEV: 0x0004,
  ST_NOEXEC: 0x0008,
  ST_SYNCHRONOUS: 0x0010,
  ST_VALID: 0x0020,
  ST_MANDLOCK: 0x0040,
  ST_NOATIME: 0x0400,
  ST_NODIRATIME: 0x0800,
  ST_RELATIME: 0x1000,
} as const;

/** Resource limit numbers (uapi asm-generic/resource.h). */
export const RLIMIT = {
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
} as const;
export const RLIM_NLIMITS = 16;
/** RLIM_INFINITY: all 64 bits set. */
export const RLIM_INFINITY = 0xffffffffffffffffn;
/**
 * The default RLIMIT_MEMLOCK (MLOCK_LIMIT in include/uapi/linux/resource.h,
 * 8 MiB since Linux 5.16). The same number as DEFAULT_STACK_LIMIT by chance,
 * not by meaning.
 */
export const MLOCK_LIMIT_DEFAULT = 8 * 1024 * 1024;
/**
 * The default soft RLIMIT_STACK, 8 MiB (_STK_LIM in
 * include/uapi/linux/resource.h; `ulimit -s` says 8192 on a default host):
 * the most a growing stack VMA may span, the size of the stack a new process
 * is given, and what execve sizes the argument space by (fs/exec.c).
 */
export const DEFAULT_STACK_LIMIT = 8 * 1024 * 1024;
