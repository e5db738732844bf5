import { PROT } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { isInitialHeap } from './heap-name';
import type { Segment } from '@tskern/rangemap';
import type { Vma } from './vma';

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * The text of /proc/[pid]/maps for an address space, line for line as
 * fs/proc/task_mmu.c:show_map_vma prints it: range, perms with `s`/`p`, the
 * file offset (0 for private anonymous memory), major:minor, inode, and the
 * path starting after column 72 (seq_setwidth + seq_pad) (or nothing, with the trailing space Linux leaves).
 * One line per VMA, so adjacent VMAs that differ only in hidden flags show as
 * separate lines, as on Linux.
 */
export function formatMaps(as: AddressSpace): string {
  let out = '';
  for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) out += mapsLine(as, seg) + '\n';
  return out;
}

/** One VMA's maps line, without the newline (show_map_vma); smaps prints it as each VMA's header. */
export function mapsLine(as: AddressSpace, seg: Segment<Vma>): string {
  const vma = seg.value;
  const perms =
    ((vma.prot & PROT.PROT_READ) !== 0 ? 'r' : '-') +
    ((vma.prot & PROT.PROT_WRITE) !== 0 ? 'w' : '-') +
    ((vma.prot & PROT.PROT_EXEC) !== 0 ? 'x' : '-') +
    (vma.shared ? 's' : 'p');
  let offset = 0;
  let dev = 0;
  let ino = 0;
  let name = vma.name ?? '';
  if (vma.backing === null && vma.name === null && isInitialHeap(as, seg.start, seg.end)) name = '[heap]';
  if (vma.backing !== null) {
    offset = vma.offset;
    dev = vma.backing.identity.deviceId();
    ino = vma.backing.identity.inodeId();
    // seq_file_path(m, file, "\n"): a newline in the path is the only byte escaped, as \012 (mangle_path).
    name = vma.backing.identity.mappedName().replaceAll('\n', '\\012');
  }
  const line = `${hex(seg.start, 8)}-${hex(seg.end, 8)} ${perms} ${hex(offset, 8)} ${hex(Math.floor(dev / 256) % 4096, 2)}:${hex(dev % 256, 2)} ${ino} `;
  return name === '' ? line : line.padEnd(72, ' ') + ' ' + name; // seq_pad(m, ' ')
}
