import { PROT } from '@tskern/abi';
import { load, store, type AddressSpace } from '@tskern/mman';
import { CpuMemoryFault, type CpuMemory, type MemoryAccess } from '@tskern/rv64';

const SIGBUS = 7;

/** What a CPU's memory reads the address space through: the owner's current `mm` (execve replaces it). */
export interface AddressSpaceOwner {
  readonly mm: AddressSpace;
}

/** Makes the CPU memory of a task; the driver takes one so a faster memory can replace this one. */
export type CpuMemoryFactory = (owner: AddressSpaceOwner) => CpuMemory;

/**
 * A simple, correct `CpuMemory` over an address space: every access goes
 * through mman's user-access `load`/`store` (a page-table look-up, and the
 * fault handler for a page not present or not writable: demand paging,
 * copy-on-write). A failed access throws `CpuMemoryFault` with the kind the
 * fault handler's signal and the VMAs give (SEGV_ACCERR where a VMA covers
 * the address, SEGV_MAPERR where none does, BUS_ADRERR past a file's end).
 * Instruction fetches need PROT_EXEC on the VMA. No translation is cached,
 * so munmap and mprotect take effect at the next access.
 */
export function addressSpaceCpuMemory(owner: AddressSpaceOwner): CpuMemory {
  const buf = new Uint8Array(8);
  const view = new DataView(buf.buffer);
  const fault = (address: number, access: MemoryAccess, sig: number): never => {
    if (sig === SIGBUS) throw new CpuMemoryFault('adrerr', address, access);
    const vma = address >= 0 ? owner.mm.vmas.find(address) : undefined;
    throw new CpuMemoryFault(vma !== undefined ? 'accerr' : 'maperr', address, access);
  };
  const checkRange = (address: number, n: number, access: MemoryAccess): void => {
    if (!(address >= 0 && address + n <= owner.mm.options.taskSize)) throw new CpuMemoryFault('maperr', address, access);
  };
  const read = (address: number, n: number, access: MemoryAccess = 'read'): void => {
    checkRange(address, n, access);
    const sig = load(owner.mm, address, buf, 0, n);
    if (sig !== 0) fault(address, access, sig);
  };
  const write = (address: number, n: number): void => {
    checkRange(address, n, 'write');
    const sig = store(owner.mm, address, buf, 0, n);
    if (sig !== 0) fault(address, 'write', sig);
  };
  return {
    load8(address) {
      read(address, 1);
      return buf[0]!;
    },
    load16(address) {
      read(address, 2);
      return view.getUint16(0, true);
    },
    load32(address) {
      read(address, 4);
      return view.getInt32(0, true);
    },
    store8(address, value) {
      buf[0] = value;
      write(address, 1);
    },
    store16(address, value) {
      view.setUint16(0, value & 0xffff, true);
      write(address, 2);
    },
    store32(address, value) {
      view.setInt32(0, value | 0, true);
      write(address, 4);
    },
    fetch16(address) {
      checkRange(address, 2, 'execute');
      // The decode cache fetches once per instruction it decodes: check PROT_EXEC here.
      const vma = owner.mm.vmas.find(address);
      if (vma === undefined) throw new CpuMemoryFault('maperr', address, 'execute');
      if ((vma.value.prot & PROT.PROT_EXEC) === 0) throw new CpuMemoryFault('accerr', address, 'execute');
      read(address, 2, 'execute');
      return view.getUint16(0, true);
    },
  };
}
