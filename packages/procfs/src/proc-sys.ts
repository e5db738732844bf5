import { Errno, O, S } from '@tskern/abi';
import { bytesFromByteString, type Clock, type DirEntry, type FileOperations, type FsCaller, type Inode } from '@tskern/vfs';
import type { ProcFs } from './proc-fs';
import { ProcInode } from './proc-inode';
import { ProcDirectory } from './proc-nodes';
import { SeqFile } from './seq-file';
import { sysctlText, writeSysctl, type SysctlEntry } from './sysctl-values';

/**
 * A file of /proc/sys (fs/proc/proc_sysctl.c proc_sys_make_inode): owned
 * by root with the entry's mode; a read generates the value's text, a
 * write goes to the setting through its SysctlValue with the opener's
 * credentials (Linux asks capable() of the writing task; tskern's file
 * operations do not see the writer, and the opener is the same task in
 * every program that does not pass the descriptor on).
 */
export class ProcSysFile extends ProcInode {
  readonly uid = 0;
  readonly gid = 0;

  constructor(fs: ProcFs, ino: number, clock: Clock, private readonly entry: SysctlEntry) {
    super(fs, ino, clock);
  }

  get mode(): number {
    return S.S_IFREG | this.entry.perm;
  }

  get nlink(): number {
    return 1;
  }

  /**
   * proc_sys_permission's test_perm: the mode bits bind root too (no
   * CAP_DAC_OVERRIDE here), so root opening a 0444 file for writing is
   * EACCES (host Linux 6.18: kernel/ostype). The VFS's generic check has
   * already refused everyone else the mode does not allow.
   */
  open(flags: number, caller: FsCaller): FileOperations | number {
    const writing = (flags & O.O_ACCMODE) !== O.O_RDONLY || (flags & O.O_TRUNC) !== 0;
    if (writing && caller.cred.euid === 0 && (this.entry.perm & S.S_IWUSR) === 0) return -Errno.EACCES;
    const value = this.entry.value;
    const seq = new SeqFile(() => bytesFromByteString(sysctlText(value)));
    const write = (pos: number, src: Uint8Array, srcOffset: number, length: number): number =>
      writeSysctl(value, pos, src.subarray(srcOffset, srcOffset + length), caller.cred);
    return { read: seq.read, release: seq.release, write };
  }
}

/**
 * A directory of /proc/sys (proc_sys_lookup, proc_sys_readdir): mode 0555,
 * owned by root, children in the order they were registered.
 */
export class ProcSysDir extends ProcDirectory {
  readonly uid = 0;
  readonly gid = 0;
  readonly children = new Map<string, ProcSysDir | ProcSysFile>();

  constructor(private readonly proc: ProcFs, ino: number) {
    super(proc, ino, proc.clock);
  }

  get mode(): number {
    return S.S_IFDIR | 0o555;
  }

  get nlink(): number {
    let n = 2;
    for (const c of this.children.values()) if (c instanceof ProcSysDir) n++;
    return n;
  }

  /** Place `entry` at `path` (its remaining components) below this directory. */
  add(components: readonly string[], entry: SysctlEntry): void {
    const [name, ...rest] = components;
    if (name === undefined) return;
    if (rest.length === 0) {
      this.children.set(name, new ProcSysFile(this.proc, this.proc.allocIno(), this.proc.clock, entry));
      return;
    }
    let dir = this.children.get(name);
    if (!(dir instanceof ProcSysDir)) this.children.set(name, (dir = new ProcSysDir(this.proc, this.proc.allocIno())));
    dir.add(rest, entry);
  }

  lookupChild(name: string): Inode | number {
    return this.children.get(name) ?? -Errno.ENOENT;
  }

  *entries(offset: number): Iterable<DirEntry> {
    let pos = 2;
    for (const [name, inode] of this.children) {
      if (pos >= offset) yield { name, ino: inode.ino, type: inode.mode & S.S_IFMT, offset: pos };
      pos++;
    }
  }
}

/** /proc/sys with the given settings (each entry's path split at '/'). */
export function procSysTree(proc: ProcFs, entries: readonly SysctlEntry[]): ProcSysDir {
  const root = new ProcSysDir(proc, proc.allocIno());
  for (const e of entries) root.add(e.path.split('/').filter((c) => c !== ''), e);
  return root;
}
