import { noteSize, writeNote, type ElfNote } from './elf-note';

/** e_machine values (include/uapi/linux/elf-em.h). */
export const EM = { EM_X86_64: 62, EM_RISCV: 243 } as const;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const PT_LOAD = 1;
const PT_NOTE = 4;
const ET_CORE = 4;
/** PF_X, PF_W, PF_R. */
const PF = { X: 1, W: 2, R: 4 } as const;

/** One PT_LOAD of a core: a mapping, how much of it is written, and how to read its pages. */
export interface CoreSegment {
  readonly start: number;
  readonly end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC of the mapping (p_flags). */
  readonly prot: number;
  /** vma_dump_size: bytes from `start` written to the file (p_filesz). */
  readonly dumpSize: number;
  /** The bytes of the page at `addr`, or null for a hole (get_dump_page found nothing to dump). */
  page(addr: number): Uint8Array | null;
}

/**
 * Where the core goes: `write` puts bytes at a file offset and answers
 * false when the dump must stop (RLIMIT_CORE reached, a write failed).
 */
export interface CoreSink {
  write(offset: number, bytes: Uint8Array): boolean;
}

/**
 * The headers and notes of an ELF core (fill_elf_header, the PT_NOTE
 * program header, one PT_LOAD per mapping, then the notes): returns those
 * bytes and the page-aligned offset where the first segment's data starts.
 */
export function coreHeaders(
  machine: number, notes: readonly ElfNote[], segments: readonly CoreSegment[], pageSize: number,
): { head: Uint8Array; dataOffset: number } {
  const phnum = segments.length + 1;
  const notesOffset = EHDR_SIZE + phnum * PHDR_SIZE;
  const notesSize = notes.reduce((n, note) => n + noteSize(note), 0);
  const head = new Uint8Array(notesOffset + notesSize);
  const v = new DataView(head.buffer);
  head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]); // ELFMAG, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_NONE
  v.setUint16(16, ET_CORE, true);
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true); // e_version
  v.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, phnum, true);
  // fill_elf_note_phdr: PT_NOTE, the notes' offset and size, alignment 4.
  let ph = EHDR_SIZE;
  v.setUint32(ph, PT_NOTE, true);
  v.setBigUint64(ph + 8, BigInt(notesOffset), true);
  v.setBigUint64(ph + 32, BigInt(notesSize), true);
  v.setBigUint64(ph + 48, 4n, true);
  const dataOffset = Math.ceil((notesOffset + notesSize) / pageSize) * pageSize;
  let offset = dataOffset;
  for (const s of segments) {
    ph += PHDR_SIZE;
    const flags = (s.prot & 1 ? PF.R : 0) | (s.prot & 2 ? PF.W : 0) | (s.prot & 4 ? PF.X : 0);
    v.setUint32(ph, PT_LOAD, true);
    v.setUint32(ph + 4, flags, true);
    v.setBigUint64(ph + 8, BigInt(offset), true);
    v.setBigUint64(ph + 16, BigInt(s.start), true); // p_vaddr; p_paddr stays 0
    v.setBigUint64(ph + 32, BigInt(s.dumpSize), true);
    v.setBigUint64(ph + 40, BigInt(s.end - s.start), true);
    v.setBigUint64(ph + 48, BigInt(pageSize), true); // ELF_EXEC_PAGESIZE
    offset += s.dumpSize;
  }
  let at = notesOffset;
  for (const note of notes) at = writeNote(head, at, note);
  return { head, dataOffset };
}

/**
 * elf_core_dump (fs/binfmt_elf.c): headers and notes, then each segment's
 * dumped pages at page-aligned offsets; a page with nothing to dump is
 * skipped (a hole, as dump_skip leaves it). A final zero byte makes the
 * file as long as its last segment when that ended in a hole (do_coredump's
 * to_skip). False when the sink refused a write: the dump stopped there.
 */
export function writeElfCore(
  sink: CoreSink, machine: number, notes: readonly ElfNote[], segments: readonly CoreSegment[], pageSize: number,
): boolean {
  const { head, dataOffset } = coreHeaders(machine, notes, segments, pageSize);
  if (!sink.write(0, head)) return false;
  let offset = dataOffset;
  let written = head.length;
  for (const s of segments) {
    for (let done = 0; done < s.dumpSize; done += pageSize) {
      const bytes = s.page(s.start + done);
      if (bytes === null) continue;
      const n = Math.min(pageSize, s.dumpSize - done);
      if (!sink.write(offset + done, bytes.subarray(0, n))) return false;
      written = offset + done + n;
    }
    offset += s.dumpSize;
  }
  return written >= offset || sink.write(offset - 1, new Uint8Array(1));
}
