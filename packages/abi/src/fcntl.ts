/** File constants of Linux x86-64 (asm-generic/fcntl.h, linux/stat.h, linux/fs.h). */

export const O = {
  O_RDONLY: 0o0,
  O_WRONLY: 0o1,
  O_RDWR: 0o2,
  O_ACCMODE: 0o3,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_NDELAY: 0o4000,
  O_DSYNC: 0o10000,
  O_ASYNC: 0o20000,
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_SYNC: 0o4010000,
  O_RSYNC: 0o4010000,
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000,
} as const;

export const SEEK = { SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 } as const;

/** File type and permission bits (st_mode). */
export const S = {
  S_IFMT: 0o170000,
  S_IFSOCK: 0o140000,
  S_IFLNK: 0o120000,
  S_IFREG: 0o100000,
  S_IFBLK: 0o60000,
  S_IFDIR: 0o40000,
  S_IFCHR: 0o20000,
  S_IFIFO: 0o10000,
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o70,
  S_IRGRP: 0o40,
  S_IWGRP: 0o20,
  S_IXGRP: 0o10,
  S_IRWXO: 0o7,
  S_IROTH: 0o4,
  S_IWOTH: 0o2,
  S_IXOTH: 0o1,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
} as const;

/** *at() directory fd meaning "the cwd", and *at() flags. */
export const AT_FDCWD = -100;
export const AT = {
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
} as const;

/** utimensat(2)'s special tv_nsec values (include/uapi/linux/stat.h). */
export const UTIME = { UTIME_NOW: (1 << 30) - 1, UTIME_OMIT: (1 << 30) - 2 } as const;

/** fcntl(2) commands used by the kernel. */
export const F = { F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_DUPFD_CLOEXEC: 1030 } as const;
export const FD_CLOEXEC = 1;

/** Longest file name component and path (NAME_MAX, PATH_MAX). */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/**
 * Layout of `struct stat` on x86-64 (144 bytes), for fstat(2) copy-out:
 * byte offsets of the fields the kernel fills.
 */
export const STAT = {
  size: 144,
  st_dev: 0,
  st_ino: 8,
  st_nlink: 16,
  st_mode: 24,
  st_uid: 28,
  st_gid: 32,
  st_rdev: 40,
  st_size: 48,
  st_blksize: 56,
  st_blocks: 64,
  st_atime: 72,
  st_mtime: 88,
  st_ctime: 104,
} as const;

/**
 * asm-generic `struct stat` (include/uapi/asm-generic/stat.h), the layout of
 * riscv64 and the other generic-table architectures: 128 bytes, 32-bit mode,
 * nlink, uid, gid and blksize; each timestamp a seconds/nanoseconds pair.
 */
export const STAT_GENERIC = {
  size: 128,
  st_dev: 0,
  st_ino: 8,
  st_mode: 16,
  st_nlink: 20,
  st_uid: 24,
  st_gid: 28,
  st_rdev: 32,
  st_size: 48,
  st_blksize: 56,
  st_blocks: 64,
  st_atime: 72,
  st_mtime: 88,
  st_ctime: 104,
} as const;
