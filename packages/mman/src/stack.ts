import { PAGE_SIZE, PROT } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { MAY_EXEC, MAY_READ, MAY_WRITE, Vma, VM_GROWSDOWN } from './vma';

/**
 * Map a process stack of `size` bytes ending at the top of user space, named
 * `[stack]` in maps (fs/exec.c:setup_arg_pages). It is demand-paged like any
 * private anonymous memory. Returns [start, end).
 */
export function mapStack(as: AddressSpace, size: number): { start: number; end: number } {
  const end = as.options.taskSize;
  const start = end - Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
  const vma = Vma.of(PROT.PROT_READ | PROT.PROT_WRITE, MAY_READ | MAY_WRITE | MAY_EXEC, false, null, 0, VM_GROWSDOWN, '[stack]');
  as.unmap(start, end);
  as.insertVma(start, end, vma);
  return { start, end };
}
