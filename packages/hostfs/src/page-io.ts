/** Where a page cache reads missing pages from and writes dirty ones to: one host file. */
export interface PageIo {
  /** Read up to `length` bytes at `position`; fewer at EOF; `-errno` on failure. */
  pread(dst: Uint8Array, dstOffset: number, length: number, position: number): number;
  /** Write up to `length` bytes at `position`: the count written or `-errno`. */
  pwrite(src: Uint8Array, srcOffset: number, length: number, position: number): number;
}
