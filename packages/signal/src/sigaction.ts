import { SignalSet } from './signal-set';

/** sa_handler values that are not addresses. */
export const SIG_DFL = 0;
export const SIG_IGN = 1;

/** sa_flags (include/uapi/asm-generic/signal-defs.h; SA_RESTORER from arch/x86). */
export const SA = {
  SA_NOCLDSTOP: 0x00000001,
  SA_NOCLDWAIT: 0x00000002,
  SA_SIGINFO: 0x00000004,
  SA_UNSUPPORTED: 0x00000400,
  SA_EXPOSE_TAGBITS: 0x00000800,
  SA_RESTORER: 0x04000000,
  SA_ONSTACK: 0x08000000,
  SA_RESTART: 0x10000000,
  SA_NODEFER: 0x40000000,
  SA_RESETHAND: 0x80000000,
} as const;

/** One signal's disposition (the kernel's `struct k_sigaction`). */
export interface SigAction {
  /** SIG_DFL, SIG_IGN or the handler's address. */
  readonly handler: number;
  /** SA_* flags, as an unsigned 32-bit value (every defined flag fits). */
  readonly flags: number;
  /** sa_restorer (x86-64 only; 0 where the layout has none). */
  readonly restorer: number;
  /** Signals blocked while the handler runs (besides the signal itself without SA_NODEFER). */
  readonly mask: SignalSet;
}

export const DEFAULT_SIGACTION: SigAction = Object.freeze({
  handler: SIG_DFL, flags: 0, restorer: 0, mask: SignalSet.EMPTY,
});

/**
 * The user-visible `struct sigaction` of rt_sigaction(2) for one
 * architecture: x86-64 has handler, flags, restorer, mask (32 bytes);
 * asm-generic without SA_RESTORER (riscv64) has handler, flags, mask (24).
 */
export interface SigactionLayout {
  readonly name: string;
  readonly size: number;
  /** Byte offset of sa_restorer, or -1 when the architecture has none. */
  readonly restorerOffset: number;
  readonly maskOffset: number;
  /** The sa_flags bits the kernel keeps (UAPI_SA_FLAGS, include/linux/signal_types.h). */
  readonly knownFlags: number;
}

const GENERIC_FLAGS =
  SA.SA_NOCLDSTOP | SA.SA_NOCLDWAIT | SA.SA_SIGINFO | SA.SA_ONSTACK | SA.SA_RESTART |
  SA.SA_NODEFER | SA.SA_RESETHAND | SA.SA_EXPOSE_TAGBITS;

export const SIGACTION_X86_64: SigactionLayout = {
  name: 'x86-64', size: 32, restorerOffset: 16, maskOffset: 24, knownFlags: (GENERIC_FLAGS | SA.SA_RESTORER) >>> 0,
};

export const SIGACTION_GENERIC: SigactionLayout = {
  name: 'asm-generic', size: 24, restorerOffset: -1, maskOffset: 16, knownFlags: GENERIC_FLAGS >>> 0,
};

/** Read a 64-bit little-endian word as a number (exact below 2^53, which every user address is). */
function getWord(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * 0x1_0000_0000 + v.getUint32(at, true);
}

function setWord(v: DataView, at: number, value: number): void {
  v.setUint32(at, value >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / 0x1_0000_0000) >>> 0, true);
}

/**
 * Decode a user `struct sigaction`. Flag bits the kernel does not know are
 * dropped here, as do_sigaction masks sa_flags with UAPI_SA_FLAGS (so a read
 * back shows which flags are supported). sa_flags is an unsigned long whose
 * upper half no flag uses.
 */
export function decodeSigaction(bytes: Uint8Array, layout: SigactionLayout, offset = 0): SigAction {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, layout.size);
  const mask = v.getUint32(layout.maskOffset, true);
  const maskHi = v.getUint32(layout.maskOffset + 4, true);
  return {
    handler: getWord(v, 0),
    flags: (v.getUint32(8, true) & layout.knownFlags) >>> 0,
    restorer: layout.restorerOffset < 0 ? 0 : getWord(v, layout.restorerOffset),
    mask: SignalSet.fromWords(mask, maskHi),
  };
}

/** Encode `action` as the architecture's `struct sigaction` (old action of rt_sigaction). */
export function encodeSigaction(action: SigAction, bytes: Uint8Array, layout: SigactionLayout, offset = 0): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, layout.size);
  setWord(v, 0, action.handler);
  setWord(v, 8, action.flags >>> 0);
  if (layout.restorerOffset >= 0) setWord(v, layout.restorerOffset, action.restorer);
  v.setUint32(layout.maskOffset, action.mask.lo, true);
  v.setUint32(layout.maskOffset + 4, action.mask.hi, true);
}
