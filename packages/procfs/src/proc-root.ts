import { Errno, S } from '@tskern/abi';
import type { DirEntry, FsCaller, Inode, SetAttr } from '@tskern/vfs';
import type { ProcFs } from './proc-fs';
import { ProcDirectory } from './proc-nodes';

/** FIRST_PROCESS_ENTRY (fs/proc/internal.h): where /proc's readdir turns from fixed entries to processes. */
export const FIRST_PROCESS_ENTRY = 256;
/** TGID_OFFSET (fs/proc/base.c): "self" and "thread-self" come first, then pid N at N + TGID_OFFSET. */
const TGID_OFFSET = FIRST_PROCESS_ENTRY + 2;

/**
 * name_to_int (fs/proc/util.c): a decimal number without a leading zero (but
 * "0" itself) that fits an unsigned int, or -1.
 */
function nameToPid(name: string): number {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(name)) return -1;
  const n = Number(name);
  return n <= 0xffffffff ? n : -1;
}

/**
 * The /proc root (fs/proc/root.c): fixed entries first (/proc/mounts when the
 * process directory offers mounts), then `self` at FIRST_PROCESS_ENTRY, then
 * one directory per process in pid order, as proc_root_readdir and
 * proc_pid_readdir number them. Owned by root, mode 0555; nlink is 2 plus the
 * number of processes (proc_root_getattr).
 */
export class ProcRoot extends ProcDirectory {
  private perm = 0o555;
  uid = 0;
  gid = 0;

  constructor(private readonly proc: ProcFs) {
    super(proc, 1, proc.clock); // PROC_ROOT_INO
  }

  get mode(): number {
    return S.S_IFDIR | this.perm;
  }

  get nlink(): number {
    let n = 2;
    for (const _ of this.proc.processes.pids()) n++;
    return n;
  }

  /** proc_root has no setattr of its own: simple_setattr keeps mode and owner. */
  override setattr(attr: SetAttr): number {
    if (attr.mode !== undefined) this.perm = attr.mode & 0o7777;
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    return 0;
  }

  lookupChild(name: string): Inode | number {
    const fixed = this.proc.fixedEntry(name);
    if (fixed !== undefined) return fixed;
    const pid = nameToPid(name);
    if (pid < 0) return -Errno.ENOENT;
    return this.proc.pidDir(pid) ?? -Errno.ENOENT;
  }

  *entries(offset: number, _caller: FsCaller): Iterable<DirEntry> {
    let pos = 2;
    for (const [name, inode] of this.proc.fixedEntries()) {
      if (pos >= offset) yield { name, ino: inode.ino, type: inode.mode & S.S_IFMT, offset: pos };
      pos++;
    }
    const self = this.proc.self;
    if (offset <= FIRST_PROCESS_ENTRY) yield { name: 'self', ino: self.ino, type: S.S_IFLNK, offset: FIRST_PROCESS_ENTRY };
    const pids = [...this.proc.processes.pids()].sort((a, b) => a - b);
    this.proc.forgetPidsExcept(pids);
    for (const pid of pids) {
      const at = pid + TGID_OFFSET;
      if (at < offset) continue;
      const dir = this.proc.pidDir(pid);
      if (dir !== undefined) yield { name: String(pid), ino: dir.ino, type: S.S_IFDIR, offset: at };
    }
  }
}
