import { S } from '@tskern/abi';
import type { DirEntry, FsCaller, Inode } from '@tskern/vfs';
import { ProcInode } from './proc-inode';

/** A /proc directory: its children are computed, not stored (Linux's proc_pident_lookup/readdir). */
export abstract class ProcDirectory extends ProcInode {
  /** The child `name`, or `-ENOENT`. */
  abstract lookupChild(name: string, caller: FsCaller): Inode | number;
  /** Entries at positions >= `offset`, in position order. */
  abstract entries(offset: number, caller: FsCaller): Iterable<DirEntry>;
}

/** A /proc symlink whose target may depend on the caller (/proc/self). */
export abstract class ProcSymlink extends ProcInode {
  get mode(): number {
    return S.S_IFLNK | S.S_IRWXU | S.S_IRWXG | S.S_IRWXO;
  }

  get nlink(): number {
    return 1;
  }

  /** The link body for `caller`, or `-errno`. */
  abstract target(caller: FsCaller): string | number;
}
