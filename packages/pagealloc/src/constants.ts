/** Bytes per page frame. */
export const PAGE_SIZE = 4096;

/** log2(PAGE_SIZE): `addr >>> PAGE_SHIFT` is a page number (for addresses below 2^32). */
export const PAGE_SHIFT = 12;

declare const frameIdBrand: unique symbol;

/**
 * A page frame: a small non-negative integer naming one PAGE_SIZE block of
 * an allocator's memory (Linux's page frame number). Branded so that a count,
 * an offset, an errno or a page number cannot be passed for one: frames come
 * only from an allocator (or, for code that stores them in typed arrays,
 * back through `isFrame` / `storedFrame`). A type only: the value is the index.
 */
export type FrameId = number & { readonly [frameIdBrand]: 'FrameId' };

/**
 * "No frame": what an allocator answers when it has none left, and what a
 * page table holds for an unmapped page. -1 at run time (typed arrays store
 * it as is) but its own type, so `FrameId | NoFrame` must be checked
 * (`=== NO_FRAME` or `isFrame`) before it is used as a frame.
 */
export const NO_FRAME = -1;
export type NoFrame = typeof NO_FRAME;

/** Whether `value` names a frame (>= 0) rather than a sentinel such as NO_FRAME; narrows the union. */
export function isFrame(value: number): value is FrameId {
  return value >= 0;
}

/**
 * The frame a typed-array slot holds (a page table's Int32Array of frames):
 * the one place a plain number becomes a FrameId without a check, for code
 * that only ever stored FrameIds and NO_FRAME there.
 */
export function storedFrame(slots: Int32Array, index: number): FrameId | NoFrame {
  return slots[index] as FrameId | NoFrame;
}
