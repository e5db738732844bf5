import type { FileSystem, NewInode } from '../file-system';
import { SimpleInode, type Clock } from './simple-inode';

/** An in-memory symlink: its target is its content (size = target length). */
export class SimpleSymlink extends SimpleInode {
  constructor(fs: FileSystem, ino: number, attrs: NewInode, clock: Clock, readonly target: string) {
    super(fs, ino, attrs, clock);
  }

  size(): number {
    return this.target.length;
  }
}
