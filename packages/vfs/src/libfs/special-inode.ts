import type { Inode } from '../inode';
import type { FileSystem, NewInode } from '../file-system';
import { SimpleInode, type Clock } from './simple-inode';

/**
 * A FIFO, socket or device node made by mknod(2) on an in-memory file
 * system (ramfs_get_inode -> init_special_inode): attributes and st_rdev
 * only, size 0. Opening it is the VFS's (`SpecialFiles`), by its type and
 * device number.
 */
export class SimpleSpecialInode extends SimpleInode implements Inode {
  override readonly rdev: number;

  constructor(fs: FileSystem, ino: number, attrs: NewInode, rdev: number, clock: Clock) {
    super(fs, ino, attrs, clock);
    this.rdev = rdev;
  }

  size(): number {
    return 0;
  }

  /** A read of a FIFO moved data (pipe_read's file_accessed). */
  accessed(): void {
    this.atime = this.clock();
  }
}
