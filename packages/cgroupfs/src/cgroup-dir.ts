import { S } from '@tskern/abi';
import type { Clock, FileSystem } from '@tskern/vfs';
import type { Cgroup } from './cgroup';
import { CgroupInode } from './cgroup-inode';

/**
 * The directory of a group. Its entries (child groups and interface files)
 * are the file system's to list; nlink is 2 plus the child groups, as
 * kernfs counts subdirectories.
 */
export class CgroupDir extends CgroupInode {
  constructor(fs: FileSystem, readonly group: Cgroup, perm: number, uid: number, gid: number, clock: Clock) {
    super(fs, group.ino, S.S_IFDIR, perm, uid, gid, clock);
  }

  /** A removed group's directory has no links (IS_DEADDIR: listing it is ENOENT). */
  get nlink(): number {
    if (this.group.removed) return 0;
    return 2 + this.group.children.size;
  }

  size(): number {
    return 0;
  }
}
