import { Errno, PAGE_SIZE } from '@tskern/abi';
import type { PagemapSource } from '@tskern/mm-api';
import type { FileOperations } from '@tskern/vfs';
import { memLseek } from './mem-lseek';

/** Bytes per pagemap entry (PM_ENTRY_BYTES). */
const ENTRY_BYTES = 8;
/** Entries produced per step (PAGEMAP_WALK_SIZE: one PMD's pages), so a large read builds no huge array at once. */
const WALK_PAGES = 512;

/**
 * The open /proc/[pid]/pagemap (fs/proc/task_mmu.c:pagemap_read): a binary
 * file of one 64-bit little-endian entry per virtual page, the entry of
 * page N at offset N * 8. A position or count that is not a multiple of 8 is
 * EINVAL; reading stops at the end of the user address space (reads there
 * and beyond answer 0), and once the process is gone every read answers 0.
 * Frame numbers show only to an opener with CAP_SYS_ADMIN (`showPfn`,
 * decided at open as file_ns_capable does). lseek is mem_lseek: SEEK_SET
 * and SEEK_CUR only, any offset.
 */
export function pagemapFile(source: () => PagemapSource | undefined, showPfn: boolean): FileOperations {
  return {
    read: (pos, dst, dstOffset, length) => {
      if (pos % ENTRY_BYTES !== 0 || length % ENTRY_BYTES !== 0) return -Errno.EINVAL;
      const src = source();
      if (src === undefined || length === 0) return 0;
      const endPage = Math.floor(src.taskSize / PAGE_SIZE);
      let page = pos / ENTRY_BYTES;
      const last = Math.min(endPage, page + length / ENTRY_BYTES);
      const view = new DataView(dst.buffer, dst.byteOffset + dstOffset, length);
      let at = 0;
      while (page < last) {
        const count = Math.min(WALK_PAGES, last - page);
        const entries = src.entries(page, count, showPfn);
        for (let i = 0; i < count; i++, at += ENTRY_BYTES) view.setBigUint64(at, entries[i]!, true);
        page += count;
      }
      return at;
    },
    llseek: memLseek,
  };
}
