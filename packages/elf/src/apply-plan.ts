import { Errno, PROT } from '@tskern/abi';
import { pageAlign, pageOffset, pageStart } from './bytes';
import type { ExecMemory, MapPlacement } from './exec-memory';
import { PAGE, type ExecLayout } from './layout';
import { fatal, type ElfLoadPlan, type FatalExecError, type ImagePlan, type SegmentPlan } from './load-plan';

/** What the mapped program gives the initial stack, the registers and the memory manager. */
export interface LoadedElf {
  /** Where the thread starts: the interpreter's entry, or the program's. */
  readonly entry: number;
  /** The program's entry, biased (AT_ENTRY). */
  readonly programEntry: number;
  /** The program headers in memory (AT_PHDR); the bias alone when no PT_LOAD holds them. */
  readonly phdr: number;
  /** e_phnum (AT_PHNUM). */
  readonly phnum: number;
  /** The interpreter's load address (AT_BASE), 0 without one. */
  readonly interpreterBase: number;
  /** The program's load bias (0 for ET_EXEC). */
  readonly loadBias: number;
  /** start_brk = brk: the page after the image, or a static PIE's moved heap. */
  readonly startBrk: number;
  readonly stackExecutable: boolean;
}

/**
 * Map a plan into the new address space through `memory`, in
 * load_elf_binary's order (the program's PT_LOADs, then the interpreter's),
 * each segment as elf_load does it. Returns what the stack and the thread
 * need, or a FatalExecError (past the point of no return: the process dies
 * of SIGSEGV).
 */
export function applyElfLoadPlan<F>(plan: ElfLoadPlan<F>, memory: ExecMemory<F>, layout: ExecLayout): LoadedElf | FatalExecError {
  const taskSize = layout.taskSize;
  const bias = mapImage(plan.program, memory, taskSize);
  if (typeof bias !== 'number') return bias;
  const program = plan.program;
  const programEntry = program.entry + bias;
  let entry = programEntry;
  let interpreterBase = 0;
  if (plan.interpreter !== null) {
    const base = mapImage(plan.interpreter, memory, taskSize);
    if (typeof base !== 'number') return base;
    interpreterBase = base;
    entry = base + plan.interpreter.entry;
  }
  if (entry >= taskSize || entry < 0) return fatal(-Errno.EINVAL);
  const brk = plan.brk.kind === 'at' ? plan.brk.addr : program.imageEnd + bias;
  return {
    entry,
    programEntry,
    phdr: program.phdrVaddr + bias,
    phnum: program.phnum,
    interpreterBase,
    loadBias: bias,
    startBrk: pageAlign(brk, PAGE),
    stackExecutable: plan.stackExecutable,
  };
}

/** Map one image; returns its bias (load_bias, or load_elf_interp's load_addr). */
function mapImage<F>(image: ImagePlan<F>, memory: ExecMemory<F>, taskSize: number): number | FatalExecError {
  const placement = image.placement;
  let bias = placement.kind === 'fixed' ? placement.bias : 0;
  let first = true;
  for (const seg of image.segments) {
    let addr = bias + seg.vaddr;
    let how: MapPlacement = 'fixed';
    let total = 0;
    if (first) {
      total = image.totalSize;
      if (placement.kind === 'fixed') {
        how = placement.first;
      } else if (placement.align > PAGE) {
        // A static PIE asking for more than a page: map anywhere to learn
        // where, give it back, and take that place aligned (load_elf_binary).
        const span = pageAlign(total, PAGE);
        const probe = memory.mapFile(image.file, 0, span, seg.prot, 'hint', seg.fileOffset);
        if (probe < 0) return fatal(probe);
        memory.unmap(probe, span);
        bias = pageStart(pageStart(probe, placement.align) - seg.vaddr, PAGE);
        addr = bias + seg.vaddr;
        how = 'fixed-noreplace';
      } else {
        addr = placement.hint;
        how = 'hint';
      }
    }
    const mapped = loadSegment(memory, image.file, addr, seg, how, total);
    if (mapped < 0) return fatal(mapped);
    if (first && placement.kind === 'chosen') bias = mapped - pageStart(seg.vaddr, PAGE);
    first = false;
    // The size checks after each segment: the program's on its unbiased
    // p_vaddr (load_elf_binary), the interpreter's on the biased one.
    const k = image.role === 'program' ? seg.vaddr : bias + seg.vaddr;
    if (k >= taskSize || seg.filesz > seg.memsz || seg.memsz > taskSize || taskSize - seg.memsz < k) {
      return fatal(image.badSegment);
    }
  }
  return bias;
}

/**
 * elf_load: the file pages (the first mapping of an image reserves its whole
 * span, then gives back what the segment does not use), the rest of the
 * last file page cleared (an error counts only for a writable segment), and
 * anonymous pages for the remaining bss, executable if the segment is.
 * Returns the address of the first page, or -errno.
 */
function loadSegment<F>(memory: ExecMemory<F>, file: F, addr: number, seg: SegmentPlan, how: MapPlacement, total: number): number {
  const inPage = pageOffset(seg.vaddr, PAGE);
  let mapAddr: number;
  let zeroStart: number;
  let zeroEnd: number;
  if (seg.filesz > 0) {
    // vm_mmap refuses an offset that is not a page boundary.
    if (seg.fileOffset < 0 || pageOffset(seg.fileOffset, PAGE) !== 0) return -Errno.EINVAL;
    const start = pageStart(addr, PAGE);
    if (total > 0) {
      const span = pageAlign(total, PAGE);
      mapAddr = memory.mapFile(file, start, span, seg.prot, how, seg.fileOffset);
      if (mapAddr >= 0 && span > seg.fileLength) memory.unmap(mapAddr + seg.fileLength, span - seg.fileLength);
    } else {
      mapAddr = memory.mapFile(file, start, seg.fileLength, seg.prot, how, seg.fileOffset);
    }
    if (mapAddr < 0) return mapAddr;
    zeroStart = mapAddr + inPage + seg.filesz;
    zeroEnd = mapAddr + inPage + seg.memsz;
    if (seg.memsz > seg.filesz) {
      const partial = pageOffset(zeroStart, PAGE);
      if (partial !== 0 && memory.zero(zeroStart, PAGE - partial) < 0 && (seg.prot & PROT.PROT_WRITE) !== 0) {
        return -Errno.EFAULT;
      }
    }
  } else {
    mapAddr = zeroStart = pageStart(addr, PAGE);
    zeroEnd = zeroStart + inPage + seg.memsz;
  }
  if (seg.memsz > seg.filesz) {
    const from = pageAlign(zeroStart, PAGE);
    const to = pageAlign(zeroEnd, PAGE);
    if (to > from) {
      const err = memory.mapAnonymous(from, to - from, (seg.prot & PROT.PROT_EXEC) !== 0);
      if (err < 0) return err;
    }
  }
  return mapAddr;
}
