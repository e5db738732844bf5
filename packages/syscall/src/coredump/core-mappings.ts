import { PAGE_SIZE, PROT } from '@tskern/abi';
import { handleFault, load, PTE_PRESENT, VM_DONTDUMP, type AddressSpace, type Vma } from '@tskern/mman';
import type { MappedFile } from './core-notes';
import { vmaDumpSize } from './dump-size';
import type { CoreSegment } from './elf-core-file';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** What d_path appends to the name of a file that was removed (and shared anonymous memory shows). */
const DELETED = ' (deleted)';

/**
 * get_dump_page (mm/gup.c with FOLL_FORCE | FOLL_DUMP): the bytes of a
 * present page, whatever its protection; a guard page, or anonymous memory
 * never touched (no page, or only the zero page), is a hole (null). An
 * absent page of a mapped object is read in, as a read fault would; where
 * that fails (a page past the file's end, a PROT_NONE mapping, which
 * FOLL_FORCE would still read on Linux) it is a hole too.
 */
function dumpPage(as: AddressSpace, vma: Vma, addr: number): Uint8Array | null {
  const page = Math.floor(addr / PAGE_SIZE);
  if (as.guards.has(page)) return null;
  if ((as.pt.flags(page) & PTE_PRESENT) === 0) {
    if (vma.backing === null || (vma.prot & PROT.PROT_READ) === 0) return null;
    if (handleFault(as, page, false) !== 0 || (as.pt.flags(page) & PTE_PRESENT) === 0) return null;
  }
  const frame = as.pt.frame(page);
  const base = as.frames.offset(frame);
  return as.frames.memory(frame).subarray(base, base + PAGE_SIZE);
}

/** Whether memory at `addr` starts with ELF's magic (vma_dump_size reads the first word of the mapping). */
function startsWithElf(as: AddressSpace, addr: number): boolean {
  const word = new Uint8Array(4);
  return load(as, addr, word, 0, 4) === 0 && ELF_MAGIC.every((b, i) => word[i] === b);
}

/**
 * dump_vma_snapshot (fs/coredump.c): every mapping of `as` in address
 * order with the size vma_dump_size gives it under `filter`, and the page
 * reader the dump takes its bytes from.
 */
export function coreSegments(as: AddressSpace, filter: number): CoreSegment[] {
  const out: CoreSegment[] = [];
  for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) {
    const vma = seg.value;
    const { start, end } = seg;
    const backing = vma.backing;
    const dumpSize = vmaDumpSize({
      length: end - start,
      dontDump: (vma.flags & VM_DONTDUMP) !== 0,
      shared: vma.shared,
      fileBacked: backing !== null,
      // i_nlink 0: shared anonymous memory is an unlinked shmem file; a removed file shows " (deleted)".
      unlinked: backing !== null && (backing.anonymous || backing.identity.mappedName().endsWith(DELETED)),
      written: vma.anon !== null,
      readable: (vma.prot & PROT.PROT_READ) !== 0,
      atObjectStart: vma.offset === 0,
      startsWithElf: () => startsWithElf(as, start),
    }, filter, PAGE_SIZE);
    out.push({ start, end, prot: vma.prot, dumpSize, page: (addr) => dumpPage(as, vma, addr) });
  }
  return out;
}

/** fill_files_note: the mappings of an object, with their page offsets and paths, in address order. */
export function coreMappedFiles(as: AddressSpace): MappedFile[] {
  const out: MappedFile[] = [];
  for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) {
    const backing = seg.value.backing;
    if (backing === null) continue;
    out.push({ start: seg.start, end: seg.end, pageOffset: Math.floor(seg.value.offset / PAGE_SIZE), path: backing.identity.mappedName() });
  }
  return out;
}
