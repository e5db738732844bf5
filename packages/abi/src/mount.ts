/** mount(2) flags (include/uapi/linux/mount.h `MS_*`; `MS` in this package is msync's). */
export const MOUNT = {
  MS_RDONLY: 1,
  MS_NOSUID: 2,
  MS_NODEV: 4,
  MS_NOEXEC: 8,
  MS_SYNCHRONOUS: 16,
  MS_REMOUNT: 32,
  MS_MANDLOCK: 64,
  MS_DIRSYNC: 128,
  MS_NOSYMFOLLOW: 256,
  MS_NOATIME: 1024,
  MS_NODIRATIME: 2048,
  MS_BIND: 4096,
  MS_MOVE: 8192,
  MS_REC: 16384,
  MS_SILENT: 32768,
  MS_POSIXACL: 1 << 16,
  MS_UNBINDABLE: 1 << 17,
  MS_PRIVATE: 1 << 18,
  MS_SLAVE: 1 << 19,
  MS_SHARED: 1 << 20,
  MS_RELATIME: 1 << 21,
  MS_KERNMOUNT: 1 << 22,
  MS_I_VERSION: 1 << 23,
  MS_STRICTATIME: 1 << 24,
  MS_LAZYTIME: 1 << 25,
  /** Internal: refused from user space (EINVAL). */
  MS_NOUSER: 2 ** 31,
  /** The old magic in the top 16 bits, stripped when present. */
  MS_MGC_VAL: 0xc0ed0000,
  MS_MGC_MSK: 0xffff0000,
} as const;

/** umount2(2) flags (include/linux/fs.h). */
export const UMOUNT = {
  MNT_FORCE: 1,
  MNT_DETACH: 2,
  MNT_EXPIRE: 4,
  UMOUNT_NOFOLLOW: 8,
} as const;
