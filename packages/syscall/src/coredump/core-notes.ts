import { encodeSiginfo, type SigInfo } from '@tskern/signal';
import { NT, type ElfNote } from './elf-note';

/** What NT_PRSTATUS (struct elf_prstatus) records of one thread. */
export interface ThreadStatus {
  readonly signal: number;
  /** The first word of the thread's pending and blocked sets (pr_sigpend, pr_sighold). */
  readonly pending: bigint;
  readonly blocked: bigint;
  /** pr_pid is the thread id; pr_ppid the parent process. */
  readonly tid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly sid: number;
  /** User and system time, and the reaped children's, in ns. */
  readonly userNs: number;
  readonly systemNs: number;
  readonly childUserNs: number;
  readonly childSystemNs: number;
  /** elf_gregset_t: the architecture's user_regs_struct bytes (riscv64: pc, x1..x31). */
  readonly gregs: Uint8Array;
  /** Whether an NT_PRFPREG note follows for this thread (pr_fpvalid). */
  readonly fpValid: boolean;
}

/** sizeof(struct elf_prstatus_common): elf_siginfo, cursig and padding, two sigsets, four ids, four timevals. */
const PRSTATUS_COMMON = 112;

function putTimeval(view: DataView, at: number, ns: number): void {
  const us = Math.floor(ns / 1000);
  view.setBigInt64(at, BigInt(Math.floor(us / 1_000_000)), true);
  view.setBigInt64(at + 8, BigInt(us % 1_000_000), true);
}

/**
 * NT_PRSTATUS (fill_prstatus + the REGSET_GENERAL regset): the signal,
 * the thread's ids and times, then the general registers and pr_fpvalid;
 * si_code and si_errno of pr_info stay 0, as Linux leaves them.
 */
export function prstatusNote(s: ThreadStatus): ElfNote {
  const size = PRSTATUS_COMMON + s.gregs.length + 8; // pr_fpvalid and the padding to 8
  const desc = new Uint8Array(size);
  const v = new DataView(desc.buffer);
  v.setInt32(0, s.signal, true); // pr_info.si_signo
  v.setInt16(12, s.signal, true); // pr_cursig
  v.setBigUint64(16, s.pending, true);
  v.setBigUint64(24, s.blocked, true);
  v.setInt32(32, s.tid, true);
  v.setInt32(36, s.ppid, true);
  v.setInt32(40, s.pgrp, true);
  v.setInt32(44, s.sid, true);
  putTimeval(v, 48, s.userNs);
  putTimeval(v, 64, s.systemNs);
  putTimeval(v, 80, s.childUserNs);
  putTimeval(v, 96, s.childSystemNs);
  desc.set(s.gregs, PRSTATUS_COMMON);
  v.setInt32(PRSTATUS_COMMON + s.gregs.length, s.fpValid ? 1 : 0, true);
  return { name: 'CORE', type: NT.NT_PRSTATUS, desc };
}

/** What NT_PRPSINFO (struct elf_prpsinfo) records of the process. */
export interface ProcessInfo {
  /** pr_flag: the dumping task's PF_* flags. */
  readonly flags: number;
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly sid: number;
  /** The command name (first 15 bytes kept, NUL-terminated in 16). */
  readonly comm: string;
  /** The argument vector; its NULs become spaces in pr_psargs (ELF_PRARGSZ 80 with the NUL). */
  readonly argv: readonly string[];
}

const ELF_PRARGSZ = 80;
/** sizeof(struct elf_prpsinfo) on 64-bit: four chars, pr_flag, uid/gid (unsigned int), four ids, fname[16], psargs[80]. */
const PRPSINFO_SIZE = 136;

function putBytes(out: Uint8Array, at: number, text: string, max: number): void {
  const n = Math.min(text.length, max);
  for (let i = 0; i < n; i++) out[at + i] = text.charCodeAt(i) & 0xff;
}

/**
 * NT_PRPSINFO (fill_psinfo): state 'R' (the dumping thread runs), nice 0,
 * the flags, ids, comm and the arguments with NULs as spaces.
 */
export function prpsinfoNote(p: ProcessInfo): ElfNote {
  const desc = new Uint8Array(PRPSINFO_SIZE);
  const v = new DataView(desc.buffer);
  desc[0] = 0; // pr_state: TASK_RUNNING
  desc[1] = 'R'.charCodeAt(0); // pr_sname
  desc[2] = 0; // pr_zomb
  desc[3] = 0; // pr_nice
  v.setBigUint64(8, BigInt(p.flags), true);
  v.setUint32(16, p.uid, true);
  v.setUint32(20, p.gid, true);
  v.setInt32(24, p.pid, true);
  v.setInt32(28, p.ppid, true);
  v.setInt32(32, p.pgrp, true);
  v.setInt32(36, p.sid, true);
  putBytes(desc, 40, p.comm, 15);
  putBytes(desc, 56, p.argv.join(' '), ELF_PRARGSZ - 1);
  return { name: 'CORE', type: NT.NT_PRPSINFO, desc };
}

/** NT_SIGINFO (fill_siginfo_note): the siginfo of the signal that caused the dump, as copy_siginfo_to_user lays it out. */
export function siginfoNote(info: SigInfo): ElfNote {
  return { name: 'CORE', type: NT.NT_SIGINFO, desc: encodeSiginfo(info) };
}

/** NT_AUXV: the auxiliary vector the program started with (mm->saved_auxv), pairs of words ending with AT_NULL. */
export function auxvNote(auxv: readonly (readonly [number, number])[]): ElfNote {
  const desc = new Uint8Array((auxv.length + 1) * 16);
  const v = new DataView(desc.buffer);
  auxv.forEach(([type, value], i) => {
    v.setBigUint64(i * 16, BigInt(type), true);
    v.setBigUint64(i * 16 + 8, BigInt(value), true);
  });
  return { name: 'CORE', type: NT.NT_AUXV, desc };
}

/** One file-backed mapping for NT_FILE. */
export interface MappedFile {
  readonly start: number;
  readonly end: number;
  /** The file offset in pages (vm_pgoff). */
  readonly pageOffset: number;
  /** The path as d_path gives it (a byte string). */
  readonly path: string;
}

/**
 * NT_FILE (fill_files_note): the count and page size, one (start, end,
 * page offset) triple per file-backed mapping, then their paths, each
 * ending in NUL.
 */
export function fileNote(files: readonly MappedFile[], pageSize: number): ElfNote {
  const names = files.reduce((n, f) => n + f.path.length + 1, 0);
  const desc = new Uint8Array(16 + files.length * 24 + names);
  const v = new DataView(desc.buffer);
  v.setBigUint64(0, BigInt(files.length), true);
  v.setBigUint64(8, BigInt(pageSize), true);
  let at = 16;
  for (const f of files) {
    v.setBigUint64(at, BigInt(f.start), true);
    v.setBigUint64(at + 8, BigInt(f.end), true);
    v.setBigUint64(at + 16, BigInt(f.pageOffset), true);
    at += 24;
  }
  for (const f of files) {
    putBytes(desc, at, f.path, f.path.length);
    at += f.path.length + 1;
  }
  return { name: 'CORE', type: NT.NT_FILE, desc };
}
