import { S } from '@tskern/abi';
import type { Clock, FileOperations, FileSystem } from '@tskern/vfs';
import { ProcInode } from './proc-inode';
import { SeqFile } from './seq-file';

/**
 * A read-only file of the /proc root whose text the kernel generates at
 * read (proc_create_single: meminfo, uptime), owned by root, mode 0444.
 */
export class ProcFixedFile extends ProcInode {
  readonly uid = 0;
  readonly gid = 0;

  constructor(
    fs: FileSystem,
    ino: number,
    clock: Clock,
    private readonly text: () => string,
  ) {
    super(fs, ino, clock);
  }

  get mode(): number {
    return S.S_IFREG | 0o444;
  }

  get nlink(): number {
    return 1;
  }

  open(): FileOperations {
    return new SeqFile(() => new TextEncoder().encode(this.text()));
  }
}
