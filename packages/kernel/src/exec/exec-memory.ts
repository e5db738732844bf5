import { Errno, MAP, PROT } from '@tskern/abi';
import type { ExecMemory, MapPlacement } from '@tskern/elf';
import { fill, mmap, munmap, store, type AddressSpace } from '@tskern/mman';
import type { ExecHandle } from './open-exec';

const PLACEMENT: Record<MapPlacement, number> = { hint: 0, fixed: MAP.MAP_FIXED, 'fixed-noreplace': MAP.MAP_FIXED_NOREPLACE };

/**
 * The loader's memory operations on the new program's address space, as
 * binfmt_elf makes them: vm_mmap of the file (MAP_PRIVATE through its page
 * cache), vm_brk_flags for the bss, vm_munmap, clear_user and
 * copy_to_user.
 */
export function addressSpaceExecMemory(mm: AddressSpace): ExecMemory<ExecHandle> {
  return {
    mapFile(file, addr, length, prot, placement, offset) {
      const source = file.file.mmapSource();
      if (typeof source === 'number') return source;
      return mmap(mm, addr, length, prot, MAP.MAP_PRIVATE | PLACEMENT[placement], source, offset);
    },
    mapAnonymous(addr, length, exec) {
      if (length === 0) return 0;
      const prot = PROT.PROT_READ | PROT.PROT_WRITE | (exec ? PROT.PROT_EXEC : 0);
      const r = mmap(mm, addr, length, prot, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED, null, 0);
      return r < 0 ? r : 0;
    },
    unmap(addr, length) {
      return munmap(mm, addr, length);
    },
    zero(addr, length) {
      return fill(mm, addr, length, 0) === 0 ? 0 : -Errno.EFAULT;
    },
    write(addr, bytes) {
      return store(mm, addr, bytes, 0, bytes.length) === 0 ? 0 : -Errno.EFAULT;
    },
  };
}
