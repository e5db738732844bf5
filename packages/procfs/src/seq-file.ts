import { Errno, SEEK, type FileOffset } from '@tskern/abi';
import type { FileOperations } from '@tskern/vfs';

/**
 * The read side of Linux's seq_file (fs/seq_file.c:seq_read_iter) for a text
 * generated whole: a read at offset 0, or at an offset other than where the
 * previous read stopped (after lseek), generates the text afresh; a read that
 * continues the previous one continues the same snapshot, so a reader taking
 * small chunks sees one consistent text. `generate` answers the bytes or
 * `-errno` (a process gone: ESRCH).
 *
 * The operations are bound arrow functions: the VFS calls them detached
 * from the object (`const read = ops.read; read(...)`).
 */
export class SeqFile implements FileOperations {
  private text: Uint8Array | null = null;
  /** Where the previous read stopped (seq_file's read_pos). */
  private readPos = 0;

  constructor(private readonly generate: () => Uint8Array | number) {}

  readonly read = (pos: number, dst: Uint8Array, dstOffset: number, length: number): number => {
    if (this.text === null || pos === 0 || pos !== this.readPos) {
      const text = this.generate();
      if (typeof text === 'number') return text;
      this.text = text;
    }
    const text = this.text;
    const n = pos >= text.length ? 0 : Math.min(length, text.length - pos);
    dst.set(text.subarray(pos, pos + n), dstOffset);
    this.readPos = pos + n;
    return n;
  };

  /**
   * seq_lseek: SEEK_SET and SEEK_CUR to any offset from 0 up (past the end
   * too: reads there answer 0); a negative one, SEEK_END, SEEK_DATA and
   * SEEK_HOLE are EINVAL. The text is made afresh at the next read there.
   */
  readonly llseek = (pos: FileOffset, offset: FileOffset, whence: number): FileOffset => {
    let to: FileOffset;
    if (whence === SEEK.SEEK_SET) to = offset;
    else if (whence === SEEK.SEEK_CUR) to = typeof pos === 'number' && typeof offset === 'number' ? pos + offset : BigInt(pos) + BigInt(offset);
    else return -Errno.EINVAL;
    return to < 0 ? -Errno.EINVAL : to;
  };

  readonly release = (): void => {
    this.text = null;
  };
}
