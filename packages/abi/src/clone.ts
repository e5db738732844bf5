/** clone(2) flags (include/uapi/linux/sched.h). */
export const CLONE = {
  /** The low byte of clone(2)'s flags: the signal the parent gets when the child exits. */
  CSIGNAL: 0xff,
  CLONE_VM: 0x100,
  CLONE_FS: 0x200,
  CLONE_FILES: 0x400,
  CLONE_SIGHAND: 0x800,
  CLONE_PIDFD: 0x1000,
  CLONE_PTRACE: 0x2000,
  CLONE_VFORK: 0x4000,
  CLONE_PARENT: 0x8000,
  CLONE_THREAD: 0x10000,
  CLONE_NEWNS: 0x20000,
  CLONE_SYSVSEM: 0x40000,
  CLONE_SETTLS: 0x80000,
  CLONE_PARENT_SETTID: 0x100000,
  CLONE_CHILD_CLEARTID: 0x200000,
  CLONE_DETACHED: 0x400000,
  CLONE_UNTRACED: 0x800000,
  CLONE_CHILD_SETTID: 0x1000000,
  CLONE_NEWCGROUP: 0x2000000,
  CLONE_NEWUTS: 0x4000000,
  CLONE_NEWIPC: 0x8000000,
  CLONE_NEWUSER: 0x10000000,
  CLONE_NEWPID: 0x20000000,
  CLONE_NEWNET: 0x40000000,
  CLONE_IO: 0x80000000,
} as const;

/** The namespace flags: tskern has one namespace of each kind. */
export const CLONE_NEW_MASK =
  CLONE.CLONE_NEWNS | CLONE.CLONE_NEWCGROUP | CLONE.CLONE_NEWUTS | CLONE.CLONE_NEWIPC |
  CLONE.CLONE_NEWUSER | CLONE.CLONE_NEWPID | CLONE.CLONE_NEWNET;

/**
 * `struct clone_args` of clone3(2): eleven u64 fields. CLONE_ARGS_SIZE_VER0 is
 * the first eight (64 bytes), VER1 adds set_tid (80), VER2 cgroup (88).
 */
export const CLONE_ARGS = {
  flags: 0,
  pidfd: 8,
  child_tid: 16,
  parent_tid: 24,
  exit_signal: 32,
  stack: 40,
  stack_size: 48,
  tls: 56,
  set_tid: 64,
  set_tid_size: 72,
  cgroup: 80,
  SIZE_VER0: 64,
  SIZE_VER1: 80,
  SIZE_VER2: 88,
} as const;

/** wait4(2) options (include/uapi/linux/wait.h). */
export const WAIT = {
  WNOHANG: 1,
  WUNTRACED: 2,
  WEXITED: 4,
  WCONTINUED: 8,
  WNOWAIT: 0x01000000,
  __WNOTHREAD: 0x20000000,
  __WALL: 0x40000000,
  __WCLONE: 0x80000000,
} as const;
