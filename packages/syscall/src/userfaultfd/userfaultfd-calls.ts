import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { sysReadFile } from '../blocking/file-calls';
import { accessOk, int, MAX_RW_COUNT } from '../fs/args';
import type { SyscallDef } from '../handler';
import { sysPoll, sysPpoll } from '../poll/poll';
import { sysPselect6, sysSelect } from '../poll/select';
import { userfaultfdOf } from './userfaultfd-file';
import { readUserfaultfd, sysUserfaultfd } from './userfaultfd-syscalls';

/** read(2): a userfaultfd's messages (userfaultfd_read), or any other file's read. */
export function sysReadUffd(task: Task, fd: number, buf: number, count: number): SyscallReturn {
  const file = task.files.get(int(fd));
  const ctx = file !== null && file.readable ? userfaultfdOf(file) : null;
  if (ctx === null || file === null) return sysReadFile(task, fd, buf, count);
  if (!accessOk(buf, count)) return -Errno.EFAULT;
  return readUserfaultfd(task, file, ctx, buf, Math.min(count, MAX_RW_COUNT));
}

/** userfaultfd(2), poll(2), ppoll(2), select(2) and pselect6(2) (read(2) is the catalogue's, with the handler above; ioctl(2) reaches the file's own ioctl). */
export const USERFAULTFD_SYSCALLS: readonly SyscallDef[] = [
  { name: 'userfaultfd', handler: sysUserfaultfd, args: ['int'] },
  { name: 'poll', handler: sysPoll, args: ['ptr', 'uint', 'int'] },
  { name: 'ppoll', handler: sysPpoll, args: ['ptr', 'uint', 'ptr', 'ptr', 'size'] },
  { name: 'select', handler: sysSelect, args: ['int', 'ptr', 'ptr', 'ptr', 'ptr'] },
  { name: 'pselect6', handler: sysPselect6, args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'] },
];
