import { SimpleInode } from './simple-inode';

/** Size a tmpfs directory grows by per entry (BOGO_DIRENT_SIZE in mm/shmem.c). */
export const BOGO_DIRENT_SIZE = 20;

interface Entry {
  readonly inode: SimpleInode;
  /** Position in the directory stream (>= 2; 0 and 1 are "." and ".."). */
  readonly offset: number;
}

/**
 * An in-memory directory. Entries keep the position they were added at, so a
 * reader resuming at a position neither repeats nor skips entries that stay
 * (dcache_readdir's cursor). nlink is 2 plus one per subdirectory.
 */
export class SimpleDirectory extends SimpleInode {
  private readonly entries = new Map<string, Entry>();
  private nextOffset = 2;

  /** As tmpfs: two bogus entries for "." and "..", plus one per name. */
  size(): number {
    return (this.entries.size + 2) * BOGO_DIRENT_SIZE;
  }

  get(name: string): SimpleInode | undefined {
    return this.entries.get(name)?.inode;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Add a name (it must be absent). */
  add(name: string, inode: SimpleInode): void {
    this.entries.set(name, { inode, offset: this.nextOffset++ });
    this.touch();
  }

  /** Remove a name. */
  remove(name: string): void {
    this.entries.delete(name);
    this.touch();
  }

  /** Entries at positions >= `offset`, in position order. */
  *from(offset: number): IterableIterator<[name: string, inode: SimpleInode, offset: number]> {
    for (const [name, e] of this.entries) if (e.offset >= offset) yield [name, e.inode, e.offset];
  }
}
