import { describe, expect, it } from 'vitest';
import { auxvNote, fileNote, prpsinfoNote, prstatusNote, type ThreadStatus } from './core-notes';
import { noteSize, writeNote, NT } from './elf-note';

const thread: ThreadStatus = {
  signal: 6, pending: 0n, blocked: 0x20n, tid: 12, ppid: 1, pgrp: 12, sid: 12,
  userNs: 1_500_000_000, systemNs: 2_000, childUserNs: 0, childSystemNs: 0,
  gregs: new Uint8Array(27 * 8).fill(1), fpValid: false,
};

// Sizes: the notes of a core Linux 6.18 wrote for an x86-64 abort() (readelf -n):
// NT_PRSTATUS 0x150, NT_PRPSINFO 0x88; riscv64's elf_prstatus is 376 bytes.
describe('core notes (fs/binfmt_elf.c fill_note_info)', () => {
  it('lays out elf_prstatus: signal, ids, times, then the registers and pr_fpvalid', () => {
    const x86 = prstatusNote(thread);
    expect([x86.type, x86.desc.length]).toEqual([NT.NT_PRSTATUS, 0x150]);
    const v = new DataView(x86.desc.buffer);
    expect([v.getInt32(0, true), v.getInt16(12, true), v.getInt32(32, true), v.getBigUint64(24, true)]).toEqual([6, 6, 12, 0x20n]);
    expect([v.getBigInt64(48, true), v.getBigInt64(56, true), v.getBigInt64(72, true)]).toEqual([1n, 500_000n, 2n]);
    expect(x86.desc[112]).toBe(1);
    expect(prstatusNote({ ...thread, gregs: new Uint8Array(32 * 8), fpValid: true }).desc.length).toBe(376);
  });

  it('lays out elf_prpsinfo with the command name and the arguments joined by spaces', () => {
    const n = prpsinfoNote({ flags: 0x600, uid: 0, gid: 0, pid: 12, ppid: 1, pgrp: 12, sid: 12, comm: 'crash', argv: ['./crash', '-x'] });
    expect([n.type, n.desc.length, String.fromCharCode(n.desc[1]!)]).toEqual([NT.NT_PRPSINFO, 0x88, 'R']);
    expect(new TextDecoder().decode(n.desc.subarray(40, 45))).toBe('crash');
    expect(new TextDecoder().decode(n.desc.subarray(56, 66))).toBe('./crash -x');
  });

  it('ends NT_AUXV with AT_NULL and lists NT_FILE ranges before their names', () => {
    expect(auxvNote([[6, 4096]]).desc).toEqual(Uint8Array.from([6, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, ...new Array(16).fill(0)]));
    const f = fileNote([{ start: 0x10000, end: 0x20000, pageOffset: 3, path: '/bin/x' }], 4096);
    const v = new DataView(f.desc.buffer);
    expect([v.getBigUint64(0, true), v.getBigUint64(8, true), v.getBigUint64(16, true), v.getBigUint64(32, true)]).toEqual([1n, 4096n, 0x10000n, 3n]);
    expect(new TextDecoder().decode(f.desc.subarray(40))).toBe('/bin/x\0');
  });

  it('pads the name and the descriptor of a note to four bytes', () => {
    const note = { name: 'CORE', type: 1, desc: Uint8Array.of(9, 9, 9, 9, 9) };
    expect(noteSize(note)).toBe(12 + 8 + 8);
    const out = new Uint8Array(28);
    expect(writeNote(out, 0, note)).toBe(28);
    expect([...out.subarray(0, 21)]).toEqual([5, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 67, 79, 82, 69, 0, 0, 0, 0, 9]);
  });
});
