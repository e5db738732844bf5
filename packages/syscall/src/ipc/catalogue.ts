import type { SyscallDef } from '../handler';
import { sysShmat, sysShmctl, sysShmdt, sysShmget } from './shm';

/** System V shared memory (ipc/shm.c), with its C argument types. */
export const IPC_SYSCALLS: readonly SyscallDef[] = [
  { name: 'shmget', handler: sysShmget, args: ['int', 'size', 'int'] },
  { name: 'shmat', handler: sysShmat, args: ['int', 'ptr', 'int'] },
  { name: 'shmdt', handler: sysShmdt, args: ['ptr'] },
  { name: 'shmctl', handler: sysShmctl, args: ['int', 'int', 'ptr'] },
];
