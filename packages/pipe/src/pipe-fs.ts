import { S } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { Dentry, Mount, SimpleFileSystem, SimpleInode, type Clock, type Inode, type NewInode } from '@tskern/vfs';
import { Pipe } from './pipe';

/**
 * The inode of a pipe (get_pipe_inode): S_IFIFO with mode 0600, owned by the
 * creator's fsuid/fsgid, one link, size 0; reads update atime, writes mtime
 * and ctime (file_accessed, file_update_time).
 */
export class PipeInode extends SimpleInode {
  readonly pipe: Pipe;

  constructor(fs: PipeFs, ino: number, attrs: NewInode, clock: Clock) {
    super(fs, ino, attrs, clock);
    this.addLink();
    this.pipe = new Pipe(`pipe:[${ino}]`);
  }

  size(): number {
    return 0;
  }

  /** A read moved data: atime. */
  accessed(): void {
    this.atime = this.clock();
  }
}

/**
 * pipefs: the internal file system pipes live on (a pseudo mount in no tree,
 * as Linux's pipe_mnt). Its files have no path: `dname` names them
 * `pipe:[ino]`, which /proc/[pid]/fd links show.
 */
export class PipeFs extends SimpleFileSystem {
  /** The internal mount every pipe's path is on. */
  readonly mount: Mount;

  constructor(options: { readonly deviceId?: number; readonly clock?: Clock } = {}) {
    super({ type: 'pipefs', maxFileSize: Number.MAX_SAFE_INTEGER, ...options });
    this.mount = new Mount(this, Dentry.root(this.root()), null, null);
  }

  protected newFile(): never {
    invariant(false, 'pipefs has no directory to create files in');
  }

  /** A new pipe inode owned by `owner` (the creator's fsuid and fsgid). */
  newPipeInode(owner: { readonly uid: number; readonly gid: number }): PipeInode {
    return new PipeInode(this, this.allocIno(), { mode: S.S_IFIFO | 0o600, uid: owner.uid, gid: owner.gid }, this.clock);
  }

  /** pipefs_dname. */
  dname(inode: Inode): string {
    return `pipe:[${inode.ino}]`;
  }
}
