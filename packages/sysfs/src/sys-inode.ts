import type { Clock, FileSystem } from '@tskern/vfs';
import { KernfsInode } from '@tskern/vfs';

/**
 * The common part of every sysfs inode: a kernfs node (vfs's KernfsInode)
 * owned by root unless chown'd, never evicted (the tree is built once).
 */
export abstract class SysInode extends KernfsInode {
  constructor(fs: FileSystem, ino: number, type: number, perm: number, clock: Clock) {
    super(fs, ino, type, perm, 0, 0, clock);
  }
}
