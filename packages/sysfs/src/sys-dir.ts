import { Errno, S } from '@tskern/abi';
import type { Clock, DirEntry, FileSystem, Inode } from '@tskern/vfs';
import { SysInode } from './sys-inode';

/**
 * A sysfs directory (a kobject's kernfs directory): its children are fixed
 * when the tree is built. Entries are listed in name order; Linux lists a
 * kernfs directory in the order of its rb-tree, which sorts by a name hash
 * first, so no program can rely on the order (`ls` sorts). nlink is 2 plus
 * the subdirectories, as kernfs counts them.
 */
export class SysDir extends SysInode {
  private readonly children = new Map<string, SysInode>();

  constructor(fs: FileSystem, ino: number, perm: number, clock: Clock) {
    super(fs, ino, S.S_IFDIR, perm, clock);
  }

  get nlink(): number {
    let n = 2;
    for (const child of this.children.values()) if (child instanceof SysDir) n++;
    return n;
  }

  /** Directories report st_size 0 (kernfs sets no size on them). */
  size(): number {
    return 0;
  }

  /** Add `node` as `name` (building the tree); returns it. */
  add<T extends SysInode>(name: string, node: T): T {
    this.children.set(name, node);
    return node;
  }

  /** Remove the entry `name` (kobject_del of a child); false when absent. */
  remove(name: string): boolean {
    return this.children.delete(name);
  }

  child(name: string): Inode | number {
    return this.children.get(name) ?? -Errno.ENOENT;
  }

  *entries(offset: number): Iterable<DirEntry> {
    const names = [...this.children.keys()].sort();
    for (let i = 0; i < names.length; i++) {
      const at = i + 2;
      if (at < offset) continue;
      const node = this.children.get(names[i]!)!;
      yield { name: names[i]!, ino: node.ino, type: node.mode & S.S_IFMT, offset: at };
    }
  }
}
