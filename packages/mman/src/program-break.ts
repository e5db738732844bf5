/**
 * The bounds brk(2) works with (Linux's mm->start_data, end_data,
 * start_brk, brk). exec sets them after loading the image; fork copies them.
 */
export interface ProgramBreak {
  startData: number;
  endData: number;
  /** Where the heap starts: brk never goes below it. */
  startBrk: number;
  /** The current break (not page-aligned: the heap VMA ends at its page-aligned value). */
  brk: number;
}
