import { SYS } from '@tskern/abi';
import { sysMmap } from './mm/mmap';
import { sysMadvise, sysMincore, sysMprotect, sysMremap, sysMsync, sysMunmap } from './mm/others';
import type { SyscallHandler } from './process-types';
import {
  sysExecve, sysExitGroup, sysFork, sysGetgid, sysGetpid, sysGetppid, sysGetuid, sysWait4,
} from './proc/lifecycle';

/** The memory and process syscalls, by x86-64 number. */
export function coreSyscalls(): Map<number, SyscallHandler> {
  return new Map<number, SyscallHandler>([
    [SYS.mmap, sysMmap],
    [SYS.munmap, sysMunmap],
    [SYS.mprotect, sysMprotect],
    [SYS.mremap, sysMremap],
    [SYS.msync, sysMsync],
    [SYS.madvise, sysMadvise],
    [SYS.mincore, sysMincore],
    [SYS.fork, sysFork],
    [SYS.vfork, sysFork],
    [SYS.execve, sysExecve],
    [SYS.exit, sysExitGroup],
    [SYS.exit_group, sysExitGroup],
    [SYS.wait4, sysWait4],
    [SYS.getpid, sysGetpid],
    [SYS.getppid, sysGetppid],
    [SYS.getuid, sysGetuid],
    [SYS.geteuid, sysGetuid],
    [SYS.getgid, sysGetgid],
    [SYS.getegid, sysGetgid],
  ]);
}
