/**
 * The largest value an `unsigned int` flag word holds: a flags argument the
 * kernel declares `unsigned long` (64 bits) that is above it has unknown bits.
 */
export const U32_MAX = 0xffffffff;
