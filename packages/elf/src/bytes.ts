/**
 * Little-endian field reads. A 64-bit field is a JavaScript number: exact
 * below 2^53, and above it a number at least 2^53, beyond every user
 * address (TASK_SIZE), so the checks that refuse it still refuse it.
 */
export function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

export function u32(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) + (b[at + 3] ?? 0) * 0x1000000;
}

export function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x100000000;
}

/** Store `value` (a non-negative integer below 2^53) as a little-endian 64-bit word. */
export function putU64(b: Uint8Array, at: number, value: number): void {
  const lo = value % 0x100000000;
  const hi = Math.floor(value / 0x100000000);
  for (let i = 0; i < 4; i++) {
    b[at + i] = (lo >>> (8 * i)) & 0xff;
    b[at + 4 + i] = (hi >>> (8 * i)) & 0xff;
  }
}

/** The page start (ELF_PAGESTART) and offset in page (ELF_PAGEOFFSET) of `v`; exact for any number below 2^53. */
export function pageStart(v: number, page: number): number {
  return v - (v % page);
}

export function pageOffset(v: number, page: number): number {
  return v % page;
}

/** ELF_PAGEALIGN: `v` rounded up to a page. */
export function pageAlign(v: number, page: number): number {
  return Math.ceil(v / page) * page;
}
