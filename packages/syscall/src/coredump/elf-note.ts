/** A note of a core file's PT_NOTE segment: owner name, type and descriptor bytes. */
export interface ElfNote {
  readonly name: string;
  readonly type: number;
  readonly desc: Uint8Array;
}

/** Note types (include/uapi/linux/elf.h). */
export const NT = {
  NT_PRSTATUS: 1,
  NT_PRFPREG: 2,
  NT_PRPSINFO: 3,
  NT_AUXV: 6,
  NT_SIGINFO: 0x53494749,
  NT_FILE: 0x46494c45,
} as const;

const align4 = (n: number): number => (n + 3) & ~3;

/** notesize (fs/binfmt_elf.c): the 12-byte header, the name with its NUL and the descriptor, each padded to 4. */
export function noteSize(note: ElfNote): number {
  return 12 + align4(note.name.length + 1) + align4(note.desc.length);
}

/** writenote: `note` at `offset` of `out` (ASCII name); returns the offset after it. */
export function writeNote(out: Uint8Array, offset: number, note: ElfNote): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset, note.name.length + 1, true);
  view.setUint32(offset + 4, note.desc.length, true);
  view.setUint32(offset + 8, note.type, true);
  let at = offset + 12;
  for (let i = 0; i < note.name.length; i++) out[at + i] = note.name.charCodeAt(i) & 0xff;
  at += align4(note.name.length + 1);
  out.set(note.desc, at);
  return at + align4(note.desc.length);
}
