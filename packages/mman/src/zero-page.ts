import { PTE_ANON } from './pte';
import type { Vma } from './vma';

/**
 * Whether a present page stands for Linux's shared zero page: a load from
 * private anonymous memory that was never written maps the zero page on
 * Linux (do_anonymous_page), which smaps does not count and pagemap shows
 * present but neither file nor exclusive (vm_normal_page finds no page).
 * tskern gives such a load a zeroed frame of its own; it is certain to be
 * one only while the VMA has no anonymous memory identity (no store ever
 * reached it: a store, a write fault or a write-populate gives it one, and
 * fork copies no entries of a VMA without one). Pages only loaded in a VMA
 * that was also written elsewhere are counted as ordinary anonymous pages.
 */
export function isZeroFillPage(vma: Vma, pteFlags: number): boolean {
  return vma.anon === null && vma.backing === null && !vma.shared && (pteFlags & PTE_ANON) !== 0;
}
