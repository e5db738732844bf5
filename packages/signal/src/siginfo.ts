import { invariant } from '@tskern/assert';
import { SIG, SIGRTMIN } from './signal-numbers';

/** si_code values (include/uapi/asm-generic/siginfo.h). */
export const SI = {
  SI_USER: 0,
  SI_KERNEL: 0x80,
  SI_QUEUE: -1,
  SI_TIMER: -2,
  SI_MESGQ: -3,
  SI_ASYNCIO: -4,
  SI_SIGIO: -5,
  SI_TKILL: -6,
} as const;

export const SEGV_MAPERR = 1; // address not mapped to an object
export const SEGV_ACCERR = 2; // invalid permissions for a mapped object
export const BUS_ADRALN = 1; // invalid address alignment
export const BUS_ADRERR = 2; // nonexistent physical address (past the end of a file)
export const BUS_OBJERR = 3; // object-specific hardware error

export const CLD = {
  CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3, CLD_TRAPPED: 4, CLD_STOPPED: 5, CLD_CONTINUED: 6,
} as const;

/** sizeof(siginfo_t): 128 bytes on every architecture. */
export const SIGINFO_SIZE = 128;

interface SigInfoBase {
  readonly signo: number;
  readonly errno: number;
  readonly code: number;
}

/** kill(2), tkill, tgkill, and signals the kernel sends with a sender (si_pid, si_uid). */
export interface KillSigInfo extends SigInfoBase {
  readonly kind: 'kill';
  readonly pid: number;
  readonly uid: number;
}

/** rt_sigqueueinfo / sigqueue: a sender plus a value (si_value). */
export interface RtSigInfo extends SigInfoBase {
  readonly kind: 'rt';
  readonly pid: number;
  readonly uid: number;
  readonly value: number;
}

/** POSIX timers (SI_TIMER): timer id, overrun count, value. */
export interface TimerSigInfo extends SigInfoBase {
  readonly kind: 'timer';
  readonly timerId: number;
  readonly overrun: number;
  readonly value: number;
}

/** Faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP): the faulting address. */
export interface FaultSigInfo extends SigInfoBase {
  readonly kind: 'fault';
  readonly addr: number;
}

/** SIGCHLD: the child, its uid, status, and CPU times in clock ticks. */
export interface ChildSigInfo extends SigInfoBase {
  readonly kind: 'child';
  readonly pid: number;
  readonly uid: number;
  readonly status: number;
  readonly utime: number;
  readonly stime: number;
}

/**
 * `siginfo_t` as a typed record: one variant per union member Linux fills
 * (kernel/signal.c siginfo_layout). SIGPOLL and SIGSYS layouts are not
 * produced by tskern and decode as `kill`.
 */
export type SigInfo = KillSigInfo | RtSigInfo | TimerSigInfo | FaultSigInfo | ChildSigInfo;

/** The union member of a siginfo with this signal and code (siginfo_layout). */
export function siginfoLayout(signo: number, code: number): SigInfo['kind'] {
  if (code > SI.SI_USER && code < SI.SI_KERNEL && signo < SIGRTMIN) {
    switch (signo) {
      case SIG.SIGSEGV: case SIG.SIGBUS: case SIG.SIGILL: case SIG.SIGFPE: case SIG.SIGTRAP:
        return 'fault';
      case SIG.SIGCHLD:
        return 'child';
      default:
        return 'kill';
    }
  }
  if (code === SI.SI_TIMER) return 'timer';
  if (code < 0) return 'rt';
  return 'kill';
}

/** The siginfo of kill(2) (SI_USER) or tkill/tgkill (SI_TKILL) from `pid` running as `uid`. */
export function userSigInfo(signo: number, pid: number, uid: number, code: number = SI.SI_USER): KillSigInfo {
  return { kind: 'kill', signo, errno: 0, code, pid, uid };
}

/** A signal the kernel raises on its own (SEND_SIG_PRIV: SI_KERNEL, no sender), e.g. SIGALRM of ITIMER_REAL, SIGPIPE. */
export function kernelSigInfo(signo: number): KillSigInfo {
  return { kind: 'kill', signo, errno: 0, code: SI.SI_KERNEL, pid: 0, uid: 0 };
}

/** A synchronous fault: SIGSEGV with SEGV_MAPERR/SEGV_ACCERR or SIGBUS with BUS_ADRERR, at `addr`. */
export function faultSigInfo(signo: number, code: number, addr: number): FaultSigInfo {
  return { kind: 'fault', signo, errno: 0, code, addr };
}

/** SIGCHLD for the parent (do_notify_parent). */
export function childSigInfo(code: number, pid: number, uid: number, status: number, utime = 0, stime = 0): ChildSigInfo {
  return { kind: 'child', signo: SIG.SIGCHLD, errno: 0, code, pid, uid, status, utime, stime };
}

function setWord(v: DataView, at: number, value: number): void {
  v.setUint32(at, value >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
}

function getWord(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * 0x1_0000_0000 + v.getUint32(at, true);
}

function getLong(v: DataView, at: number): number {
  return v.getInt32(at + 4, true) * 0x1_0000_0000 + v.getUint32(at, true);
}

/**
 * Encode as the 64-bit `siginfo_t` (128 bytes, zero-filled beyond the
 * fields): si_signo at 0, si_errno at 4, si_code at 8, the union at 16.
 */
export function encodeSiginfo(info: SigInfo, bytes: Uint8Array = new Uint8Array(SIGINFO_SIZE), offset = 0): Uint8Array {
  invariant(bytes.length - offset >= SIGINFO_SIZE, 'encodeSiginfo: buffer too small');
  bytes.fill(0, offset, offset + SIGINFO_SIZE);
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, SIGINFO_SIZE);
  v.setInt32(0, info.signo, true);
  v.setInt32(4, info.errno, true);
  v.setInt32(8, info.code, true);
  switch (info.kind) {
    case 'kill':
      v.setInt32(16, info.pid, true);
      v.setUint32(20, info.uid >>> 0, true);
      break;
    case 'rt':
      v.setInt32(16, info.pid, true);
      v.setUint32(20, info.uid >>> 0, true);
      setWord(v, 24, info.value);
      break;
    case 'timer':
      v.setInt32(16, info.timerId, true);
      v.setInt32(20, info.overrun, true);
      setWord(v, 24, info.value);
      break;
    case 'fault':
      setWord(v, 16, info.addr);
      break;
    case 'child':
      v.setInt32(16, info.pid, true);
      v.setUint32(20, info.uid >>> 0, true);
      v.setInt32(24, info.status, true);
      setWord(v, 32, info.utime);
      setWord(v, 40, info.stime);
      break;
  }
  return bytes;
}

/** Decode a 64-bit `siginfo_t` (rt_sigqueueinfo's argument, or a test reading a frame). */
export function decodeSiginfo(bytes: Uint8Array, offset = 0): SigInfo {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, SIGINFO_SIZE);
  const signo = v.getInt32(0, true);
  const errno = v.getInt32(4, true);
  const code = v.getInt32(8, true);
  const base = { signo, errno, code };
  switch (siginfoLayout(signo, code)) {
    case 'fault':
      return { kind: 'fault', ...base, addr: getWord(v, 16) };
    case 'child':
      return {
        kind: 'child', ...base, pid: v.getInt32(16, true), uid: v.getUint32(20, true),
        status: v.getInt32(24, true), utime: getLong(v, 32), stime: getLong(v, 40),
      };
    case 'timer':
      return { kind: 'timer', ...base, timerId: v.getInt32(16, true), overrun: v.getInt32(20, true), value: getWord(v, 24) };
    case 'rt':
      return { kind: 'rt', ...base, pid: v.getInt32(16, true), uid: v.getUint32(20, true), value: getWord(v, 24) };
    case 'kill':
      return { kind: 'kill', ...base, pid: v.getInt32(16, true), uid: v.getUint32(20, true) };
  }
}
