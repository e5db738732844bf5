/**
 * File syscalls: handlers with raw register arguments over the VFS, and the
 * table the dispatcher merges (`fileSyscalls[SYS.read]`, ...).
 */
import { SYS } from '@tskern/abi';
import { sysAccess, sysChmod, sysChown, sysFchmod, sysFchown, sysUmask } from './attributes';
import type { FileSyscall } from './context';
import { sysChdir, sysFchdir, sysGetcwd } from './cwd';
import { sysDup, sysDup2, sysDup3, sysFcntl, sysFdatasync, sysFsync, sysFtruncate, sysLseek } from './fd-ops';
import { sysGetdents64 } from './getdents';
import {
  sysMkdir, sysMkdirat, sysReadlink, sysRename, sysRenameat, sysRmdir, sysSymlink, sysTruncate, sysUnlink, sysUnlinkat,
} from './names';
import { sysClose, sysCreat, sysOpen, sysOpenat } from './open';
import { sysPread64, sysPwrite64, sysRead, sysWrite } from './read-write';
import { sysFstat, sysLstat, sysStat } from './stat';

export type { FileSyscall, FileSyscallContext } from './context';
export * from './attributes';
export * from './cwd';
export * from './fd-ops';
export * from './getdents';
export * from './names';
export * from './open';
export * from './read-write';
export * from './stat';

/** Every file syscall by Linux x86-64 number. */
export const fileSyscalls: Readonly<Record<number, FileSyscall>> = {
  [SYS.read]: sysRead,
  [SYS.write]: sysWrite,
  [SYS.pread64]: sysPread64,
  [SYS.pwrite64]: sysPwrite64,
  [SYS.open]: sysOpen,
  [SYS.openat]: sysOpenat,
  [SYS.creat]: sysCreat,
  [SYS.close]: sysClose,
  [SYS.lseek]: sysLseek,
  [SYS.fstat]: sysFstat,
  [SYS.stat]: sysStat,
  [SYS.lstat]: sysLstat,
  [SYS.ftruncate]: sysFtruncate,
  [SYS.truncate]: sysTruncate,
  [SYS.dup]: sysDup,
  [SYS.dup2]: sysDup2,
  [SYS.dup3]: sysDup3,
  [SYS.fcntl]: sysFcntl,
  [SYS.unlink]: sysUnlink,
  [SYS.unlinkat]: sysUnlinkat,
  [SYS.mkdir]: sysMkdir,
  [SYS.mkdirat]: sysMkdirat,
  [SYS.rmdir]: sysRmdir,
  [SYS.rename]: sysRename,
  [SYS.renameat]: sysRenameat,
  [SYS.symlink]: sysSymlink,
  [SYS.readlink]: sysReadlink,
  [SYS.chdir]: sysChdir,
  [SYS.fchdir]: sysFchdir,
  [SYS.getcwd]: sysGetcwd,
  [SYS.chown]: sysChown,
  [SYS.fchown]: sysFchown,
  [SYS.chmod]: sysChmod,
  [SYS.fchmod]: sysFchmod,
  [SYS.umask]: sysUmask,
  [SYS.fsync]: sysFsync,
  [SYS.fdatasync]: sysFdatasync,
  [SYS.getdents64]: sysGetdents64,
  [SYS.access]: sysAccess,
};
