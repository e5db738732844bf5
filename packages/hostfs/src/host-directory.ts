import { HostInode } from './host-inode';

/**
 * A host directory. Its entries are listed from the host each time, and
 * each name keeps the position it was first listed at, so a reader resuming
 * at a position neither repeats nor skips names that stay (what ext4's
 * hash-ordered positions give on Linux).
 */
export class HostDirectory extends HostInode {
  private readonly positions = new Map<string, number>();
  private nextPosition = 2;

  /** The names of `listing` with their positions, in position order; names gone are forgotten. */
  positioned(listing: readonly string[]): [name: string, position: number][] {
    const present = new Set(listing);
    for (const name of this.positions.keys()) if (!present.has(name)) this.positions.delete(name);
    for (const name of [...listing].sort()) {
      if (!this.positions.has(name)) this.positions.set(name, this.nextPosition++);
    }
    return [...this.positions].sort((a, b) => a[1] - b[1]);
  }

  /** fsync of a directory: the host keeps directories itself. */
  fsync(): number {
    return 0;
  }
}
