import type { BlockDevice } from '@tskern/block-api';
import type { FileSystem } from './file-system';

/** One `key` or `key=value` of mount(2)'s option string, as fs_context parameters. */
export interface FsParameter {
  readonly key: string;
  /** The text after the first `=`, or null for a flag option (`noswap`). */
  readonly value: string | null;
}

/** What a file system type gets to make or reconfigure an instance (Linux's `struct fs_context`). */
export interface FsRequest {
  /** The source named by mount(2) ("tmpfs", "none"). */
  readonly source: string;
  /** Options the file system parses (the VFS has taken `ro`, `rw`, `sync`, ... out). */
  readonly parameters: readonly FsParameter[];
  /** SB_RDONLY: the superblock is read-only. */
  readonly readOnly: boolean;
  /** The caller's fsuid and fsgid: the root directory's default owner (tmpfs, ramfs). */
  readonly uid: number;
  readonly gid: number;
  /**
   * For a reconfigure from read-write to read-only: what the type calls once
   * its options parsed and before it changes anything
   * (sb_prepare_remount_readonly: EBUSY while files are open for writing).
   */
  readonly prepareReadOnly?: () => number;
  /**
   * For a type that `requiresDevice`: the block device `source` names. The
   * syscall layer has looked the path up (ENOTBLK for another kind of file,
   * ENXIO for a number no driver has), and claimed the device exclusively
   * for the new instance (EBUSY when another holder has it).
   */
  readonly device?: BlockDevice;
}

/**
 * A kind of file system mount(2) can make (Linux's `struct
 * file_system_type`, registered with register_filesystem). A file system
 * package implements it; the composition root registers it with the VFS's
 * `FileSystemTypes`; the syscall layer finds it by name. Answers are values
 * or `-errno`, never thrown.
 */
export interface FileSystemType {
  /** The name mount(2) and /proc/filesystems use ("tmpfs"). */
  readonly name: string;
  /** FS_REQUIRES_DEV: needs a block device (/proc/filesystems shows the others as "nodev"). */
  readonly requiresDevice: boolean;
  /** parse_param for each parameter, then get_tree: a new instance, or -EINVAL for a bad option. */
  mount(request: FsRequest): FileSystem | number;
  /**
   * reconfigure (mount -o remount): apply the request's parameters and
   * read-only state to `fs`, an instance of this type; -errno leaves it as it was.
   */
  reconfigure(fs: FileSystem, request: FsRequest): number;
  /** show_options: the type's own options as /proc/mounts appends them (",size=1024k"), or "". */
  showOptions(fs: FileSystem): string;
}

/**
 * The registered file system types (fs/filesystems.c's `file_systems`
 * list), in registration order: what mount(2) may name and
 * /proc/filesystems lists.
 */
export class FileSystemTypes {
  private readonly byName = new Map<string, FileSystemType>();

  /** register_filesystem: false when the name is taken (EBUSY in Linux). */
  register(type: FileSystemType): boolean {
    if (this.byName.has(type.name)) return false;
    this.byName.set(type.name, type);
    return true;
  }

  /** get_fs_type: the type named `name`, if registered. */
  get(name: string): FileSystemType | undefined {
    return this.byName.get(name);
  }

  /** Every type, in registration order. */
  list(): FileSystemType[] {
    return [...this.byName.values()];
  }

  /** The text of /proc/filesystems (filesystems_proc_show): "nodev" for types without a device, a tab, the name. */
  format(): string {
    return this.list().map((t) => `${t.requiresDevice ? '' : 'nodev'}\t${t.name}\n`).join('');
  }
}
