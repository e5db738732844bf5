/** Bytes per page frame. */
export const PAGE_SIZE = 4096;

/** log2(PAGE_SIZE): `addr >>> PAGE_SHIFT` is a page number (for addresses below 2^32). */
export const PAGE_SHIFT = 12;

/**
 * A page frame: a small non-negative integer naming one PAGE_SIZE block of
 * an allocator's memory. -1 stands for "no frame" where an API says so.
 */
export type FrameId = number;
