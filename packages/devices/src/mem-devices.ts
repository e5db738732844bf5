import { Errno } from '@tskern/abi';
import type { FileOperations } from '@tskern/vfs';
import type { CharDevice } from './char-device';

/** Major number of the memory devices (MEM_MAJOR). */
export const MEM_MAJOR = 1;

/** null_lseek (also zero_lseek, full_lseek): every seek answers 0 and resets the position. */
const nullLseek = (): number => 0;

/** /dev/null (1:3): reads are end of file, writes vanish (read_null, write_null). */
export const nullDevice: CharDevice = {
  name: 'null',
  major: MEM_MAJOR,
  driver: 'mem',
  minor: 3,
  mode: 0o666,
  open: (): FileOperations => ({
    fixedPosition: true,
    read: () => 0,
    write: (_pos, _src, _off, length) => length,
    llseek: nullLseek,
  }),
};

function readZero(_pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
  dst.fill(0, dstOffset, dstOffset + length);
  return length;
}

/**
 * /dev/zero (1:5): reads give zeros, writes vanish; mapping it gives
 * anonymous memory, shared anonymous memory for MAP_SHARED (mmap_zero).
 */
export const zeroDevice: CharDevice = {
  name: 'zero',
  major: MEM_MAJOR,
  driver: 'mem',
  minor: 5,
  mode: 0o666,
  mapsAnonymous: true,
  open: (): FileOperations => ({
    fixedPosition: true,
    read: readZero,
    write: (_pos, _src, _off, length) => length,
    llseek: nullLseek,
    mapsAnonymous: true,
  }),
};

/** /dev/full (1:7): reads give zeros, every write is ENOSPC (write_full). */
export const fullDevice: CharDevice = {
  name: 'full',
  major: MEM_MAJOR,
  driver: 'mem',
  minor: 7,
  mode: 0o666,
  open: (): FileOperations => ({
    fixedPosition: true,
    read: readZero,
    write: () => -Errno.ENOSPC,
    llseek: nullLseek,
  }),
};
