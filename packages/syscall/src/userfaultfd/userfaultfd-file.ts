import { invariant } from '@tskern/assert';
import { O } from '@tskern/abi';
import { Dentry, Mount, OpenFileDescription, SimpleFileSystem, SimpleInode, type FileOperations, type Inode } from '@tskern/vfs';
import type { UserfaultfdContext } from './userfaultfd-context';

/** ANON_INODE_FS_MAGIC (include/uapi/linux/magic.h). */
const ANON_INODE_FS_MAGIC = 0x09041934;

/** The one inode every anonymous-inode file shares (anon_inode_inode): mode 0600, no file type, owned by root. */
class AnonInode extends SimpleInode {
  size(): number {
    return 0;
  }
}

/**
 * anon_inodefs (fs/anon_inodes.c): the internal file system of files with
 * no inode of their own, as a userfaultfd. Each file's dentry is named
 * `[userfaultfd]`; /proc/<pid>/fd shows `anon_inode:[userfaultfd]`.
 */
class AnonInodeFs extends SimpleFileSystem {
  readonly mount: Mount;
  readonly inode: AnonInode;

  constructor() {
    super({ type: 'anon_inodefs', maxFileSize: 0, magic: ANON_INODE_FS_MAGIC });
    this.mount = new Mount(this, Dentry.root(this.root()), null, null);
    this.inode = new AnonInode(this, this.allocIno(), { mode: 0o600, uid: 0, gid: 0 }, this.clock);
    // anon_inode_inode lives as long as the kernel (fs/anon_inodes.c takes
    // it once at init): the file system's own reference, so the last close
    // of one userfaultfd never evicts the inode every later one shares.
    this.inode.incRef();
  }

  protected newFile(): never {
    invariant(false, 'anon_inodefs has no directory to create files in');
  }

  /** anon_inodefs_dname. */
  dname(_inode: Inode): string {
    return 'anon_inode:[userfaultfd]';
  }
}

let anonFs: AnonInodeFs | null = null;
const contexts = new WeakMap<OpenFileDescription, UserfaultfdContext>();

/** userfaultfd_fops: a stream whose release ends the context, with its ioctl (read and poll are the syscall layer's). */
class UserfaultfdOperations implements FileOperations {
  readonly stream = true;
  constructor(
    private readonly ctx: UserfaultfdContext,
    readonly ioctl: NonNullable<FileOperations['ioctl']>,
  ) {}
  release(): void {
    this.ctx.release();
  }
}

/**
 * anon_inode_getfd("[userfaultfd]", ...): a new O_RDWR description of
 * `ctx`, with O_NONBLOCK when asked. Its last close releases the context.
 */
export function openUserfaultfd(ctx: UserfaultfdContext, flags: number, ioctl: NonNullable<FileOperations['ioctl']>): OpenFileDescription {
  anonFs ??= new AnonInodeFs();
  const path = { mount: anonFs.mount, dentry: new Dentry('[userfaultfd]', anonFs.mount.root, anonFs.inode) };
  const file = new OpenFileDescription(path, O.O_RDWR | (flags & O.O_NONBLOCK), new UserfaultfdOperations(ctx, ioctl), null);
  contexts.set(file, ctx);
  return file;
}

/** The userfaultfd behind `file`, or null when it is another file. */
export function userfaultfdOf(file: OpenFileDescription): UserfaultfdContext | null {
  return contexts.get(file) ?? null;
}
