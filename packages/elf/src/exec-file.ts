import { Errno } from '@tskern/abi';

/**
 * What the loader reads a binary through: the kernel opens the file
 * (open_exec: lookup, permissions, ETXTBSY) and hands this view over, so the
 * loader knows nothing of the VFS. `handle` is the kernel's own object for
 * the file (an open file description, an inode): the loader returns it in
 * its plans for the file mappings and never looks inside it.
 */
export interface ExecFile<F = unknown> {
  readonly handle: F;
  /**
   * Read up to `length` bytes at `offset` (kernel_read): fewer at the end of
   * the file, none past it; -errno when the read fails.
   */
  read(offset: number, length: number): Uint8Array | number;
}

/** elf_read: exactly `length` bytes, or -EIO for a short read (the errno of a failed one). */
export function readExact(file: ExecFile, offset: number, length: number): Uint8Array | number {
  const got = file.read(offset, length);
  if (typeof got === 'number') return got;
  return got.length === length ? got : -Errno.EIO;
}

/**
 * The first BINPRM_BUF_SIZE bytes, zero-padded when the file is shorter,
 * as prepare_binprm fills bprm->buf. -errno when the read fails.
 */
export function readBinprmBuf(file: ExecFile, size: number): Uint8Array | number {
  const got = file.read(0, size);
  if (typeof got === 'number') return got;
  const buf = new Uint8Array(size);
  buf.set(got.subarray(0, size));
  return buf;
}
