/** No space left on device: a frame could not be allocated. Returned negated, Linux style. */
export const ENOSPC = 28;
