import type { ArgKind } from './args';
import { BLOCKING_SYSCALLS } from './blocking/catalogue';
import * as files from './blocking/file-calls';
import { sysOpenatFifo, sysOpenFifo } from './blocking/fifo-open';
import * as fs from './fs';
import { sysCopyFileRange } from './fs/copy-file-range';
import { sysIoctl } from './fs/ioctl';
import type { SyscallDef, SyscallHandler } from './handler';
import { sysMadvise } from './mm/madvise';
import { sysMincore } from './mm/mincore';
import { sysMprotect } from './mm/mprotect';
import { sysMremap } from './mm/mremap';
import { sysMsync } from './mm/msync';
import { sysMunmap } from './mm/munmap';
import { sysClone, sysClone3 } from './proc/clone';
import { sysCapget, sysCapset } from './proc/capabilities';
import * as cred from './proc/credentials';
import * as life from './proc/lifecycle';
import * as pgrp from './proc/process-groups';
import { sysFutex } from './futex/futex';
import { sysGetRobustList, sysSetRobustList } from './futex/robust-list';
import { sysAlarm, sysGetitimer, sysSetitimer } from './signal/itimer';
import { sysKill, sysTgkill, sysTkill } from './signal/kill';
import { sysRtSigaction } from './signal/sigaction';
import { sysSigaltstack } from './signal/sigaltstack';
import { sysRtSigreturn } from './signal/rt-sigreturn';
import { sysPause } from './signal/pause';
import { sysRtSigsuspend } from './signal/sigsuspend';
import { sysRtSigpending, sysRtSigprocmask } from './signal/sigprocmask';
import * as rlim from './proc/rlimits';
import { sysBrk } from './mm/brk';
import { sysMlock, sysMlock2, sysMlockall, sysMunlock, sysMunlockall } from './mm/mlock';
import { SYSTEM_SYSCALLS } from './system/catalogue';
import { IPC_SYSCALLS } from './ipc/catalogue';
import { sysReadUffd, USERFAULTFD_SYSCALLS } from './userfaultfd/userfaultfd-calls';

/** A handler with fewer parameters than six ignores the other registers, as a C function does. */
function def(name: string, handler: SyscallHandler, args: readonly ArgKind[]): SyscallDef {
  return { name, handler, args };
}

const PATH: ArgKind = 'ptr';

/**
 * Every syscall tskern serves, by name, with the C type of each argument
 * (as its `SYSCALL_DEFINE`). The handlers are the same on every
 * architecture; each architecture's table gives them numbers.
 */
export const SYSCALLS: Readonly<Record<string, SyscallDef>> = Object.fromEntries(
  [
    // Memory (mm/).
    // sys_mmap takes six unsigned longs, but only the low 32 bits of fd reach
    // fget (an unsigned int): declared so, -1 converts without 64-bit work.
    // off is a byte offset, exact when page aligned ('off'), up to MAX_LFS_FILESIZE.
    def('mmap', files.sysMmapFile, ['ulong', 'ulong', 'ulong', 'ulong', 'uint', 'off']),
    def('munmap', sysMunmap, ['ulong', 'size']),
    def('mprotect', sysMprotect, ['ulong', 'size', 'ulong']),
    def('mremap', sysMremap, ['ulong', 'ulong', 'ulong', 'ulong', 'ulong']),
    def('msync', sysMsync, ['ulong', 'size', 'int']),
    def('madvise', sysMadvise, ['ulong', 'size', 'int']),
    def('mincore', sysMincore, ['ulong', 'size', 'ptr']),
    def('brk', sysBrk, ['ulong']),
    def('mlock', sysMlock, ['ulong', 'size']),
    def('mlock2', sysMlock2, ['ulong', 'size', 'int']),
    def('munlock', sysMunlock, ['ulong', 'size']),
    def('mlockall', sysMlockall, ['int']),
    def('munlockall', sysMunlockall, []),
    // Tasks (kernel/fork.c, kernel/exit.c, fs/exec.c).
    def('fork', life.sysFork, []),
    def('vfork', life.sysVfork, []),
    def('clone', sysClone, ['ulong', 'ulong', 'ptr', 'ulong', 'ulong']),
    def('clone3', sysClone3, ['ptr', 'size']),
    def('execve', life.sysExecve, [PATH, 'ptr', 'ptr']),
    def('exit', life.sysExit, ['int']),
    def('exit_group', life.sysExitGroup, ['int']),
    def('wait4', life.sysWait4, ['int', 'ptr', 'int', 'ptr']),
    def('getpid', life.sysGetpid, []),
    def('gettid', life.sysGettid, []),
    def('getppid', life.sysGetppid, []),
    // Process groups and sessions (kernel/sys.c); getpgrp is x86-64 only.
    def('setpgid', pgrp.sysSetpgid, ['int', 'int']),
    def('getpgid', pgrp.sysGetpgid, ['int']),
    def('getpgrp', pgrp.sysGetpgrp, []),
    def('getsid', pgrp.sysGetsid, ['int']),
    def('setsid', pgrp.sysSetsid, []),
    def('set_tid_address', life.sysSetTidAddress, ['ptr']),
    // Signals (kernel/signal.c, kernel/time/itimer.c); rt_sigreturn asks the architecture's frame (ENOSYS without one).
    def('rt_sigreturn', sysRtSigreturn, []),
    def('pause', sysPause, []), // x86-64 only: asm-generic has no pause
    def('rt_sigsuspend', sysRtSigsuspend, ['ptr', 'size']),
    def('rt_sigaction', sysRtSigaction, ['int', 'ptr', 'ptr', 'size']),
    def('rt_sigprocmask', sysRtSigprocmask, ['int', 'ptr', 'ptr', 'size']),
    def('rt_sigpending', sysRtSigpending, ['ptr', 'size']),
    def('sigaltstack', sysSigaltstack, ['ptr', 'ptr']),
    def('kill', sysKill, ['int', 'int']),
    def('tkill', sysTkill, ['int', 'int']),
    def('tgkill', sysTgkill, ['int', 'int', 'int']),
    def('alarm', sysAlarm, ['uint']),
    def('setitimer', sysSetitimer, ['int', 'ptr', 'ptr']),
    def('getitimer', sysGetitimer, ['int', 'ptr']),
    // Futexes (kernel/futex/syscalls.c).
    def('futex', sysFutex, ['ptr', 'int', 'uint', 'ptr', 'ptr', 'uint']),
    def('set_robust_list', sysSetRobustList, ['ptr', 'size']),
    def('get_robust_list', sysGetRobustList, ['int', 'ptr', 'ptr']),
    // Credentials (kernel/sys.c, kernel/groups.c); uid_t and gid_t are unsigned int.
    def('getuid', cred.sysGetuid, []),
    def('geteuid', cred.sysGeteuid, []),
    def('getgid', cred.sysGetgid, []),
    def('getegid', cred.sysGetegid, []),
    def('setuid', cred.sysSetuid, ['uint']),
    def('setgid', cred.sysSetgid, ['uint']),
    def('setreuid', cred.sysSetreuid, ['uint', 'uint']),
    def('setregid', cred.sysSetregid, ['uint', 'uint']),
    def('setresuid', cred.sysSetresuid, ['uint', 'uint', 'uint']),
    def('setresgid', cred.sysSetresgid, ['uint', 'uint', 'uint']),
    def('getresuid', cred.sysGetresuid, ['ptr', 'ptr', 'ptr']),
    def('getresgid', cred.sysGetresgid, ['ptr', 'ptr', 'ptr']),
    def('setfsuid', cred.sysSetfsuid, ['uint']),
    def('setfsgid', cred.sysSetfsgid, ['uint']),
    def('getgroups', cred.sysGetgroups, ['int', 'ptr']),
    def('setgroups', cred.sysSetgroups, ['int', 'ptr']),
    // Capabilities (kernel/capability.c).
    def('capget', sysCapget, ['ptr', 'ptr']),
    def('capset', sysCapset, ['ptr', 'ptr']),
    // Files (fs/).
    def('read', sysReadUffd, ['uint', 'ptr', 'size']),
    def('write', files.sysWriteFile, ['uint', 'ptr', 'size']),
    def('pread64', files.sysPread64File, ['uint', 'ptr', 'size', 'loff']),
    def('pwrite64', files.sysPwrite64File, ['uint', 'ptr', 'size', 'loff']),
    def('open', sysOpenFifo, [PATH, 'int', 'umode']),
    def('openat', sysOpenatFifo, ['int', PATH, 'int', 'umode']),
    def('creat', fs.sysCreat, [PATH, 'umode']),
    def('close', fs.sysClose, ['uint']),
    def('lseek', fs.sysLseek, ['uint', 'loff', 'uint']),
    def('fstat', fs.sysFstat, ['uint', 'ptr']),
    def('stat', fs.sysStat, [PATH, 'ptr']),
    def('lstat', fs.sysLstat, [PATH, 'ptr']),
    def('newfstatat', fs.sysNewfstatat, ['int', PATH, 'ptr', 'int']),
    def('ftruncate', fs.sysFtruncate, ['uint', 'loff']),
    def('truncate', fs.sysTruncate, [PATH, 'loff']), // long length, taken as loff_t (do_sys_truncate)
    def('dup', fs.sysDup, ['uint']),
    def('dup2', fs.sysDup2, ['uint', 'uint']),
    def('dup3', fs.sysDup3, ['uint', 'uint', 'int']),
    def('ioctl', sysIoctl, ['uint', 'uint', 'ulong']),
    def('fcntl', files.sysFcntlFile, ['uint', 'uint', 'ulong']),
    def('unlink', fs.sysUnlink, [PATH]),
    def('unlinkat', fs.sysUnlinkat, ['int', PATH, 'int']),
    def('mkdir', fs.sysMkdir, [PATH, 'umode']),
    def('mkdirat', fs.sysMkdirat, ['int', PATH, 'umode']),
    def('mknod', fs.sysMknod, [PATH, 'umode', 'uint']),
    def('mknodat', fs.sysMknodat, ['int', PATH, 'umode', 'uint']),
    def('rmdir', fs.sysRmdir, [PATH]),
    def('rename', fs.sysRename, [PATH, PATH]),
    def('renameat', fs.sysRenameat, ['int', PATH, 'int', PATH]),
    def('symlink', fs.sysSymlink, [PATH, PATH]),
    def('symlinkat', fs.sysSymlinkat, [PATH, 'int', PATH]),
    def('readlink', fs.sysReadlink, [PATH, 'ptr', 'int']),
    def('readlinkat', fs.sysReadlinkat, ['int', PATH, 'ptr', 'int']),
    def('chdir', fs.sysChdir, [PATH]),
    def('fchdir', fs.sysFchdir, ['uint']),
    def('getcwd', fs.sysGetcwd, ['ptr', 'ulong']),
    def('chown', fs.sysChown, [PATH, 'uint', 'uint']),
    def('fchown', fs.sysFchown, ['uint', 'uint', 'uint']),
    def('fchownat', fs.sysFchownat, ['int', PATH, 'uint', 'uint', 'int']),
    def('chmod', fs.sysChmod, [PATH, 'umode']),
    def('fchmod', fs.sysFchmod, ['uint', 'umode']),
    def('fchmodat', fs.sysFchmodat, ['int', PATH, 'umode']),
    def('utimensat', fs.sysUtimensat, ['int', PATH, 'ptr', 'int']),
    def('umask', fs.sysUmask, ['int']),
    def('access', fs.sysAccess, [PATH, 'int']),
    def('faccessat', fs.sysFaccessat, ['int', PATH, 'int']),
    def('faccessat2', fs.sysFaccessat2, ['int', PATH, 'int', 'int']),
    def('fsync', fs.sysFsync, ['uint']),
    def('fdatasync', fs.sysFdatasync, ['uint']),
    def('sync', fs.sysSync, []),
    def('syncfs', fs.sysSyncfs, ['int']),
    def('getdents64', fs.sysGetdents64, ['uint', 'ptr', 'uint']),
    def('flock', fs.sysFlock, ['uint', 'uint']),
    def('link', fs.sysLink, [PATH, PATH]),
    def('linkat', fs.sysLinkat, ['int', PATH, 'int', PATH, 'int']),
    def('fallocate', fs.sysFallocate, ['int', 'int', 'loff', 'loff']),
    def('copy_file_range', sysCopyFileRange, ['int', 'ptr', 'int', 'ptr', 'size', 'uint']),
    // x86-64's fadvise64 takes a size_t len, riscv64's (fadvise64_64) a loff_t: the same bits.
    def('fadvise64', fs.sysFadvise64, ['int', 'loff', 'loff', 'int']),
    def('statfs', fs.sysStatfs, [PATH, 'ptr']),
    def('fstatfs', fs.sysFstatfs, ['uint', 'ptr']),
    // Mounts (fs/namespace.c): flags is an unsigned long of which only the low 32 bits are flags.
    def('mount', fs.sysMount, ['ptr', PATH, 'ptr', 'ulong', 'ptr']),
    def('umount2', fs.sysUmount2, [PATH, 'int']),
    // Resource limits (kernel/sys.c).
    def('getrlimit', rlim.sysGetrlimit, ['uint', 'ptr']),
    def('setrlimit', rlim.sysSetrlimit, ['uint', 'ptr']),
    def('prlimit64', rlim.sysPrlimit64, ['int', 'uint', 'ptr', 'ptr']),
    // Time, sleeping, pipes, waiting and randomness (kernel/time, fs/pipe.c, kernel/exit.c, drivers/char/random.c).
    ...BLOCKING_SYSCALLS,
    // Start-up and accounting: uname, sysinfo, getrusage, times, affinity, prctl (kernel/sys.c, kernel/sched/core.c).
    ...SYSTEM_SYSCALLS,
    // System V shared memory (ipc/shm.c).
    ...IPC_SYSCALLS,
    // userfaultfd(2) (fs/userfaultfd.c); poll(2), ppoll(2) (fs/select.c).
    ...USERFAULTFD_SYSCALLS,
  ].map((d) => [d.name, d]),
);
