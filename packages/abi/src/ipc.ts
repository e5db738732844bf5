/**
 * System V IPC and shared memory constants (include/uapi/linux/ipc.h and
 * include/uapi/linux/shm.h; the same on x86-64 and riscv64).
 */
export const IPC = {
  /** shmget's key for a new segment nobody else can look up. */
  IPC_PRIVATE: 0,
  IPC_CREAT: 0o1000,
  IPC_EXCL: 0o2000,
  IPC_NOWAIT: 0o4000,
  IPC_RMID: 0,
  IPC_SET: 1,
  IPC_STAT: 2,
  IPC_INFO: 3,
  /** The "new layout" bit old ABIs or into cmd; 64-bit Linux takes no such bit (EINVAL). */
  IPC_64: 0x100,
} as const;

export const SHM = {
  /** shmget: back the segment with huge pages. */
  SHM_HUGETLB: 0o4000,
  SHM_NORESERVE: 0o10000,
  /** shmat flags. */
  SHM_RDONLY: 0o10000,
  SHM_RND: 0o20000,
  SHM_REMAP: 0o40000,
  SHM_EXEC: 0o100000,
  /** shm_perm.mode bits the kernel sets. */
  SHM_DEST: 0o1000,
  SHM_LOCKED: 0o2000,
  /** shmctl commands beyond IPC_*. */
  SHM_LOCK: 11,
  SHM_UNLOCK: 12,
  SHM_STAT: 13,
  SHM_INFO: 14,
  SHM_STAT_ANY: 15,
} as const;
