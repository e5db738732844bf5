/** A kernel module without createKernel, for the worker's fatal-error test. */
export const nothing = 0;
