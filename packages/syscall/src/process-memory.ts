import { copyIn, copyOut, forEachUserChunk, readString } from '@tskern/mman';
import type { SysProcess } from './process-types';
import type { UserMemory } from './user-memory';

/**
 * A process's memory as syscall handlers reach it. It follows the process's
 * current address space, so it stays right across execve.
 */
export function processMemory(proc: Pick<SysProcess, 'mm'>): UserMemory {
  return {
    copyIn: (addr, dst, dstOffset, length) => copyIn(proc.mm, addr, dst, dstOffset, length),
    copyOut: (addr, src, srcOffset, length) => copyOut(proc.mm, addr, src, srcOffset, length),
    readString: (addr, max) => readString(proc.mm, addr, max),
    chunks: (addr, length, write, fn) => forEachUserChunk(proc.mm, addr, length, write, fn),
  };
}
