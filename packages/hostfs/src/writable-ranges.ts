import { PAGE_SIZE } from '@tskern/abi';
import { invariant } from '@tskern/assert';

/**
 * The file ranges that writable shared mappings cover (Linux counts them as
 * `i_mmap_writable`). tskern's address spaces store to a shared page without
 * telling the file (no write-protect fault per page, as Linux's
 * page_mkwrite would give), so every resident page in these ranges may be
 * dirty: write-back writes them, and when such a mapping goes its pages are
 * marked dirty.
 */
export class WritableRanges {
  private readonly ranges: { offset: number; length: number }[] = [];

  add(offset: number, length: number): void {
    this.ranges.push({ offset, length });
  }

  remove(offset: number, length: number): void {
    const i = this.ranges.findIndex((r) => r.offset === offset && r.length === length);
    invariant(i >= 0, 'removing a writable range that was never added');
    this.ranges.splice(i, 1);
  }

  get size(): number {
    return this.ranges.length;
  }

  /** Whether a writable shared mapping covers page `page`. */
  covers(page: number): boolean {
    const at = page * PAGE_SIZE;
    return this.ranges.some((r) => at >= r.offset && at < r.offset + r.length);
  }
}
