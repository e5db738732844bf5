import { Errno } from '@tskern/abi';

/** ss_flags (include/uapi/linux/signal.h). */
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
/** Disarm the stack while a handler runs on it (restored at rt_sigreturn). */
export const SS_AUTODISARM = 0x80000000;
const SS_FLAG_BITS = SS_AUTODISARM;

/** The smallest alternate stack sigaltstack accepts (MINSIGSTKSZ, x86-64 and asm-generic). */
export const MINSIGSTKSZ = 2048;
/** sizeof(stack_t) on 64-bit: ss_sp at 0, ss_flags at 8, ss_size at 16. */
export const STACK_T_SIZE = 24;

/** A thread's alternate signal stack (sas_ss_sp, sas_ss_size, sas_ss_flags), or a user `stack_t`. */
export interface SigAltStack {
  readonly sp: number;
  readonly size: number;
  readonly flags: number;
}

export const NO_ALTSTACK: SigAltStack = Object.freeze({ sp: 0, size: 0, flags: SS_DISABLE });

/** Whether `sp` is on the alternate stack (on_sig_stack; never while SS_AUTODISARM). */
export function onAltStack(stack: SigAltStack, sp: number): boolean {
  if ((stack.flags & SS_AUTODISARM) !== 0) return false;
  return sp > stack.sp && sp - stack.sp <= stack.size;
}

/** The stack_t sigaltstack reports as the old one (sas_ss_flags): SS_DISABLE, SS_ONSTACK or 0, plus SS_AUTODISARM. */
export function reportAltStack(stack: SigAltStack, sp: number): SigAltStack {
  const mode = stack.size === 0 ? SS_DISABLE : onAltStack(stack, sp) ? SS_ONSTACK : 0;
  return { sp: stack.sp, size: stack.size, flags: (mode | (stack.flags & SS_FLAG_BITS)) >>> 0 };
}

/**
 * The new alternate stack after sigaltstack(ss) with the thread's stack
 * pointer at `sp` (kernel/signal.c do_sigaltstack): EPERM while running on
 * the current one, EINVAL for a mode other than 0, SS_ONSTACK or SS_DISABLE,
 * ENOMEM below MINSIGSTKSZ; SS_DISABLE clears it.
 */
export function setAltStack(current: SigAltStack, sp: number, ss: SigAltStack, minSize = MINSIGSTKSZ): SigAltStack | number {
  if (onAltStack(current, sp)) return -Errno.EPERM;
  const flags = ss.flags >>> 0;
  const mode = (flags & ~SS_FLAG_BITS) >>> 0;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -Errno.EINVAL;
  if (mode === SS_DISABLE) return { sp: 0, size: 0, flags: flags };
  if (ss.size < minSize) return -Errno.ENOMEM;
  return { sp: ss.sp, size: ss.size, flags };
}

/**
 * The stack pointer a handler frame starts from (sigsp): the top of the
 * alternate stack when the action has SA_ONSTACK, a stack is set and the
 * thread is not on it already; otherwise `sp`.
 */
export function signalStackPointer(stack: SigAltStack, sp: number, onStackFlag: boolean): number {
  if (onStackFlag && stack.size !== 0 && !onAltStack(stack, sp)) return stack.sp + stack.size;
  return sp;
}

function getWord(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * 0x1_0000_0000 + v.getUint32(at, true);
}

function setWord(v: DataView, at: number, value: number): void {
  v.setUint32(at, value >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
}

export function decodeStackT(bytes: Uint8Array, offset = 0): SigAltStack {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, STACK_T_SIZE);
  return { sp: getWord(v, 0), flags: v.getUint32(8, true), size: getWord(v, 16) };
}

export function encodeStackT(stack: SigAltStack, bytes: Uint8Array, offset = 0): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, STACK_T_SIZE);
  setWord(v, 0, stack.sp);
  v.setUint32(8, stack.flags >>> 0, true);
  v.setUint32(12, 0, true);
  setWord(v, 16, stack.size);
}
