import { Errno, PROT } from '@tskern/abi';
import { pageAlign, pageOffset, pageStart } from './bytes';
import { ET_DYN, ET_EXEC, PF, PT } from './constants';
import type { CheckedElf, ElfBinary } from './elf-check';
import type { ProgramHeader } from './elf-header';
import type { MapPlacement } from './exec-memory';
import { PAGE, type ExecLayout } from './layout';

/**
 * One PT_LOAD as elf_load maps it, in the image's own addresses (add the
 * bias): the file pages [pageStart(vaddr), + fileLength) from `fileOffset`,
 * then, when memsz > filesz, the rest of the last file page zeroed (if
 * PAGEOFFSET of the file end is not 0) and anonymous pages up to
 * pageAlign(vaddr + memsz).
 */
export interface SegmentPlan {
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
  /** PROT_READ/WRITE/EXEC from PF_R/W/X (make_prot). */
  readonly prot: number;
  /** p_offset - PAGEOFFSET(p_vaddr): where the first mapped page starts in the file. */
  readonly fileOffset: number;
  /** PAGEALIGN(p_filesz + PAGEOFFSET(p_vaddr)); 0 when the segment has no file bytes. */
  readonly fileLength: number;
}

/**
 * Where an image goes. `fixed`: at `bias` (ET_EXEC: 0; a PIE with an
 * interpreter: from ELF_ET_DYN_BASE), its first mapping placed as `first`.
 * `chosen`: mmap chooses (a static PIE, an ET_DYN interpreter) from `hint`;
 * `align` above a page makes the loader map once to discover the address,
 * unmap and map again aligned (MAP_FIXED_NOREPLACE).
 */
export type ImagePlacement =
  | { readonly kind: 'fixed'; readonly bias: number; readonly first: MapPlacement }
  | { readonly kind: 'chosen'; readonly hint: number; readonly align: number };

/** What mapping one ELF file takes. */
export interface ImagePlan<F = unknown> {
  readonly role: 'program' | 'interpreter';
  readonly file: F;
  readonly type: number;
  readonly placement: ImagePlacement;
  /** total_mapping_size for an ET_DYN image's first mapping (reserves the whole span); 0 for ET_EXEC. */
  readonly totalSize: number;
  readonly segments: readonly SegmentPlan[];
  /** e_entry, unbiased. */
  readonly entry: number;
  /** Where the program headers are in memory, unbiased (the PT_LOAD holding e_phoff), or 0. */
  readonly phdrVaddr: number;
  readonly phnum: number;
  /** The highest p_vaddr + p_memsz, unbiased (elf_brk). */
  readonly imageEnd: number;
  /**
   * What a segment beyond TASK_SIZE answers: -EINVAL for the program
   * (load_elf_binary), -ENOMEM for the interpreter (load_elf_interp).
   */
  readonly badSegment: number;
}

/** The whole of what execve maps for an ELF program. */
export interface ElfLoadPlan<F = unknown> {
  readonly program: ImagePlan<F>;
  readonly interpreter: ImagePlan<F> | null;
  readonly stackExecutable: boolean;
  /** Where the heap starts: after the program image, or at a fixed address (a static PIE's, moved). */
  readonly brk: { readonly kind: 'after-image' } | { readonly kind: 'at'; readonly addr: number };
}

/**
 * A failure past begin_new_exec (the point of no return): the old program
 * is gone, so Linux kills the process with SIGSEGV; `errno` is what
 * load_elf_binary returned.
 */
export interface FatalExecError {
  readonly kind: 'fatal';
  readonly errno: number;
}

export function fatal(errno: number): FatalExecError {
  return { kind: 'fatal', errno };
}

/**
 * Plan the mappings of a checked ELF program as load_elf_binary and
 * load_elf_interp would make them with randomisation off:
 * - ET_EXEC at its addresses, the first mapping MAP_FIXED_NOREPLACE;
 * - an ET_DYN with PT_INTERP (a PIE) at ELF_ET_DYN_BASE aligned down to
 *   the largest power-of-two p_align, minus the first vaddr, page-aligned;
 * - an ET_DYN without PT_INTERP (a static PIE, or ld.so run directly) where
 *   mmap chooses, its heap at ELF_ET_DYN_BASE (layout.moveStaticPieBrk);
 * - the interpreter: ET_DYN where mmap chooses (hint 0 when the program
 *   has a bias), ET_EXEC at its addresses, MAP_FIXED;
 * - an ET_DYN image's first mapping spans total_mapping_size.
 * Returns a FatalExecError for an ET_DYN program or an interpreter without
 * PT_LOAD (-EINVAL) and an interpreter that is neither ET_EXEC nor ET_DYN
 * (load_elf_interp's ~0UL, which execve turns into -1: -EPERM).
 */
export function planElfLoad<F>(checked: CheckedElf<F>, layout: ExecLayout): ElfLoadPlan<F> | FatalExecError {
  const { program: bin, interpreter } = checked;
  const hasInterp = interpreter !== null;
  const segments = loadSegments(bin.phdrs);
  const total = totalMappingSize(bin.phdrs);
  let placement: ImagePlacement;
  let totalSize = 0;
  if (bin.header.type === ET_EXEC) {
    placement = { kind: 'fixed', bias: 0, first: 'fixed-noreplace' };
  } else {
    if (total === 0) return fatal(-Errno.EINVAL);
    totalSize = total;
    const align = maximumAlignment(bin.phdrs);
    const firstVaddr = segments[0]!.vaddr;
    if (hasInterp) {
      let base = layout.etDynBase;
      if (align !== 0) base = pageStart(base, align);
      placement = { kind: 'fixed', bias: pageStart(base - firstVaddr, PAGE), first: 'fixed-noreplace' };
    } else {
      placement = { kind: 'chosen', hint: 0, align };
    }
  }
  const program = imagePlan('program', bin, placement, totalSize, segments, -Errno.EINVAL);

  let interp: ImagePlan<F> | null = null;
  if (interpreter !== null) {
    const itype = interpreter.header.type;
    if (itype !== ET_EXEC && itype !== ET_DYN) return fatal(-Errno.EPERM);
    const isegments = loadSegments(interpreter.phdrs);
    const itotal = totalMappingSize(interpreter.phdrs);
    if (itotal === 0) return fatal(-Errno.EINVAL);
    // load_elf_interp's no_base: a program loaded with a bias asks for the
    // interpreter at 0 + vaddr - vaddr, i.e. anywhere; otherwise at its vaddr.
    const programHasBias = bin.header.type === ET_DYN;
    const iplacement: ImagePlacement = itype === ET_EXEC
      ? { kind: 'fixed', bias: 0, first: 'fixed' }
      : { kind: 'chosen', hint: programHasBias ? 0 : pageStart(isegments[0]!.vaddr, PAGE), align: 0 };
    interp = imagePlan('interpreter', interpreter, iplacement, itype === ET_DYN ? itotal : 0, isegments, -Errno.ENOMEM);
  }

  const stackExecutable = checked.stack === 'default' ? layout.stackExecutableByDefault : checked.stack === 'executable';
  const movedBrk = layout.moveStaticPieBrk && bin.header.type === ET_DYN && !hasInterp;
  return {
    program,
    interpreter: interp,
    stackExecutable,
    brk: movedBrk ? { kind: 'at', addr: layout.etDynBase } : { kind: 'after-image' },
  };
}

function imagePlan<F>(
  role: ImagePlan['role'], bin: ElfBinary<F>, placement: ImagePlacement, totalSize: number,
  segments: SegmentPlan[], badSegment: number,
): ImagePlan<F> {
  let imageEnd = 0;
  let phdrVaddr = 0;
  const phoff = bin.header.phoff;
  for (const ph of bin.phdrs) {
    if (ph.type !== PT.PT_LOAD) continue;
    imageEnd = Math.max(imageEnd, ph.vaddr + ph.memsz);
    // The PT_LOAD whose file bytes hold the header table maps it (AT_PHDR).
    if (ph.offset <= phoff && phoff < ph.offset + ph.filesz) phdrVaddr = phoff - ph.offset + ph.vaddr;
  }
  return {
    role, file: bin.file.handle, type: bin.header.type, placement, totalSize, segments,
    entry: bin.header.entry, phdrVaddr, phnum: bin.header.phnum, imageEnd, badSegment,
  };
}

/** make_prot: PF_R/W/X to PROT_READ/WRITE/EXEC (riscv adjusts nothing). */
export function protOf(flags: number): number {
  let prot = 0;
  if ((flags & PF.PF_R) !== 0) prot |= PROT.PROT_READ;
  if ((flags & PF.PF_W) !== 0) prot |= PROT.PROT_WRITE;
  if ((flags & PF.PF_X) !== 0) prot |= PROT.PROT_EXEC;
  return prot;
}

function loadSegments(phdrs: readonly ProgramHeader[]): SegmentPlan[] {
  return phdrs.filter((ph) => ph.type === PT.PT_LOAD).map((ph) => {
    const inPage = pageOffset(ph.vaddr, PAGE);
    return {
      vaddr: ph.vaddr,
      filesz: ph.filesz,
      memsz: ph.memsz,
      prot: protOf(ph.flags),
      fileOffset: ph.offset - inPage,
      fileLength: ph.filesz === 0 ? 0 : pageAlign(ph.filesz + inPage, PAGE),
    };
  });
}

/** total_mapping_size: from the lowest PT_LOAD's page to the highest end; 0 without PT_LOAD. */
export function totalMappingSize(phdrs: readonly ProgramHeader[]): number {
  let min = Infinity;
  let max = 0;
  for (const ph of phdrs) {
    if (ph.type !== PT.PT_LOAD) continue;
    min = Math.min(min, pageStart(ph.vaddr, PAGE));
    max = Math.max(max, ph.vaddr + ph.memsz);
  }
  return min === Infinity ? 0 : max - min;
}

/** maximum_alignment: the largest power-of-two p_align of the PT_LOADs, rounded up to a page (0 when none). */
export function maximumAlignment(phdrs: readonly ProgramHeader[]): number {
  let align = 0;
  for (const ph of phdrs) {
    if (ph.type !== PT.PT_LOAD) continue;
    const a = ph.align;
    const isPowerOfTwo = a > 0 && Number.isSafeInteger(a) && 2 ** Math.round(Math.log2(a)) === a;
    if (isPowerOfTwo) align = Math.max(align, a);
  }
  return pageAlign(align, PAGE);
}
