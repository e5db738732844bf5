import { PG, type FrameAllocator, type FrameId } from '@tskern/pagealloc';

/**
 * Give a new anonymous page its page flags: uptodate (it holds its data
 * from the start: zeroed or copied, __folio_mark_uptodate), swap-backed
 * (__folio_set_swapbacked: anonymous memory would go to swap) and on an LRU
 * list (folio_add_lru_vma), as do_anonymous_page and wp_page_copy leave it.
 * Not dirty: Linux keeps an anonymous page's dirtiness in its page-table
 * entry, which /proc/kpageflags does not read.
 */
export function markAnonPage(frames: FrameAllocator, frame: FrameId): void {
  frames.updatePageFlags(frame, PG.UPTODATE | PG.SWAPBACKED | PG.LRU, 0);
}
