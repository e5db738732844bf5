import { countBelow, Errno, O, offsetAbove, offsetAdd, SEEK, type FileOffset } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { MmapSource, MmapSourceProvider } from '@tskern/mm-api';
import type { Credentials, FsCaller } from './credentials';
import type { FileOperations, Inode } from './inode';
import type { IoctlContext } from './ioctl';
import type { MappingIdentityProvider } from './mapping-identity-provider';
import { misalignedDirectIo, refusesDirectIo } from './direct-io';
import { dirEntryType, isDir, isReg } from './mode';
import type { Path } from './path';
import { isOwnerOrCapable, modeAfterKillPriv } from './permission';
import { statInode, type Stat } from './stat';
import { truncateInode } from './truncate';

/** Status flags fcntl(F_SETFL) may change (SETFL_MASK in fs/fcntl.c). */
const SETFL_MASK = O.O_APPEND | O.O_NONBLOCK | O.O_NDELAY | O.O_ASYNC | O.O_DIRECT | O.O_NOATIME;

/** Called for each directory entry; returns false when there is no room for it (it is read again next time). */
export type DirEmitter = (name: string, ino: number, type: number, nextOffset: number) => boolean;

/**
 * An open file: Linux's `struct file`. It holds the path it was opened by,
 * the file position and the status flags (`f_flags`: access mode, O_APPEND,
 * O_NONBLOCK, ...), and a reference on the inode. File descriptors (of one
 * process after dup, or of several after fork) share one description and so
 * its offset. Counted: `decRef` of the last reference releases the inode.
 *
 * Every method answers `-errno` rather than throwing. Buffers are kernel
 * memory; the syscall layer copies to and from user memory.
 */
export class OpenFileDescription implements MmapSourceProvider {
  private refs = 1;
  private flags: number;
  /** The file position (f_pos), exact: a bigint past 2^53 (tmpfs files reach 2^63 - 1). */
  pos: FileOffset = 0;

  constructor(
    readonly path: Path,
    /** Open flags as open(2) got them; creation-only flags are dropped, as do_dentry_open. */
    flags: number,
    private readonly ops: FileOperations | null,
    private readonly identities: MappingIdentityProvider | null,
    /**
     * The opener's credentials (f_cred): whose a write is when the caller
     * does not say (file_remove_privs asks the writing task's).
     */
    private readonly opener: Credentials | null = null,
  ) {
    this.flags = flags & ~(O.O_CREAT | O.O_EXCL | O.O_NOCTTY | O.O_TRUNC);
    path.dentry.inode.incRef();
    path.mount.users++; // the file pins its mount (mntget in do_dentry_open): umount is EBUSY
    if (this.writable) path.mount.writers++; // mnt_get_write_access for FMODE_WRITE
  }

  get inode(): Inode {
    return this.path.dentry.inode;
  }

  /** An O_PATH descriptor: only close, dup, fstat, fchdir and some fcntl work (FMODE_PATH). */
  get isPathOnly(): boolean {
    return (this.flags & O.O_PATH) !== 0;
  }

  /** FMODE_READ: opened O_RDONLY or O_RDWR (OPEN_FMODE). */
  get readable(): boolean {
    const acc = this.flags & O.O_ACCMODE;
    return !this.isPathOnly && (acc === O.O_RDONLY || acc === O.O_RDWR);
  }

  /** FMODE_WRITE: opened O_WRONLY or O_RDWR. */
  get writable(): boolean {
    const acc = this.flags & O.O_ACCMODE;
    return !this.isPathOnly && (acc === O.O_WRONLY || acc === O.O_RDWR);
  }

  /** FMODE_STREAM (pipes): no position; lseek, pread and pwrite are ESPIPE. */
  get isStream(): boolean {
    return this.ops?.stream === true;
  }

  /** Whether read and write move the file position (not for streams and mem.c's devices). */
  /** Mapping the file gives anonymous memory (the inode's or this open's driver's mmap_zero). */
  get mapsAnonymous(): boolean {
    return this.inode.mapsAnonymous === true || this.ops?.mapsAnonymous === true;
  }

  get movesPosition(): boolean {
    return this.ops === null || (this.ops.stream !== true && this.ops.fixedPosition !== true);
  }

  /** References: one per descriptor slot, plus any a caller holds. */
  get refCount(): number {
    return this.refs;
  }

  incRef(): void {
    invariant(this.refs > 0, 'incRef of a released open file description');
    this.refs++;
  }

  /** Drop a reference; the last one releases the file (__fput). */
  decRef(): void {
    invariant(this.refs > 0, 'decRef of a released open file description');
    if (--this.refs > 0) return;
    if (this.releaseListeners !== null) for (const fn of this.releaseListeners) fn(this);
    this.ops?.release?.();
    this.inode.decRef();
    this.path.mount.users--;
    if (this.writable) this.path.mount.writers--;
  }

  private releaseListeners: ((file: OpenFileDescription) => void)[] | null = null;

  /**
   * Call `fn` when the last reference goes, before the file is released (as
   * __fput calls locks_remove_file: OFD and flock locks go with the
   * description).
   */
  addReleaseListener(fn: (file: OpenFileDescription) => void): void {
    (this.releaseListeners ??= []).push(fn);
  }

  // ---- data ----

  /** read(2): from the file position, which advances by the count read. */
  read(dst: Uint8Array, dstOffset: number, length: number): number {
    const n = this.pread(dst, dstOffset, length, this.pos);
    if (n > 0 && this.movesPosition) this.pos = offsetAdd(this.pos, n);
    return n;
  }

  /**
   * pread(2): at `pos`, leaving the file position alone. A bigint position
   * on a file system whose limit is a number reads nothing (filemap_read
   * stops at s_maxbytes), so such file systems only ever see numbers.
   */
  pread(dst: Uint8Array, dstOffset: number, length: number, pos: FileOffset): number {
    if (!this.readable) return -Errno.EBADF;
    if (pos < 0) return -Errno.EINVAL;
    const inode = this.inode;
    if (isDir(inode.mode)) return -Errno.EISDIR; // generic_read_dir
    const read = this.ops?.read?.bind(this.ops) ?? inode.read?.bind(inode);
    if (read === undefined) return -Errno.EINVAL; // !FMODE_CAN_READ
    let at = pos;
    if (typeof at !== 'number') {
      // mem.c's and random.c's devices ignore the position (/dev/zero reads zeros at 2^62 on Linux 6.18);
      // any other per-open read, or a file system whose limit is a number, reads nothing there.
      if (this.ops?.fixedPosition === true) at = Number(at);
      else if (this.ops?.read !== undefined || typeof inode.fs.maxFileSize === 'number') length = 0;
    }
    const n = length === 0 ? 0 : read(at as number, dst, dstOffset, length);
    if (n >= 0) this.fileAccessed();
    return n;
  }

  /**
   * The checks of a direct (O_DIRECT) read or write of a regular file, made
   * once for the whole request before it is moved piece by piece (the
   * syscall layer calls it; pread and pwrite do not): EINVAL when `pos` or
   * `length` is off the file system's direct I/O steps (iomap_dio_rw; a
   * zero length never is), and for a read, the dirty cached pages of the
   * range written back first (kiocb_write_and_wait), so it finds on the
   * backing store what a buffered read would see. `pos` is where the
   * transfer starts (the end of the file for an O_APPEND write). 0 when the
   * description has no O_DIRECT.
   */
  beginDirectIo(pos: FileOffset, length: number, write: boolean): number {
    const inode = this.inode;
    if ((this.flags & O.O_DIRECT) === 0 || !isReg(inode.mode)) return 0;
    if (misalignedDirectIo(inode, pos, length)) return -Errno.EINVAL;
    if (!write && length !== 0 && typeof pos === 'number' && inode.writeback !== undefined) {
      const err = inode.writeback(pos, length);
      if (err < 0) return err;
    }
    return 0;
  }

  /**
   * write(2): at the file position, or at the end under O_APPEND
   * (generic_write_checks); the position ends after the data written.
   */
  write(src: Uint8Array, srcOffset: number, length: number, cred: Credentials | null = this.opener): number {
    const pos = (this.flags & O.O_APPEND) !== 0 ? this.inode.size() : this.pos;
    const n = this.writeAt(src, srcOffset, length, pos, cred);
    if (n > 0 && this.movesPosition) this.pos = offsetAdd(pos, n);
    return n;
  }

  /** pwrite(2): at `pos`, except that O_APPEND still appends (a Linux quirk pwrite(2) documents). */
  pwrite(src: Uint8Array, srcOffset: number, length: number, pos: FileOffset, cred: Credentials | null = this.opener): number {
    if (pos < 0) return -Errno.EINVAL;
    return this.writeAt(src, srcOffset, length, (this.flags & O.O_APPEND) !== 0 ? this.inode.size() : pos, cred);
  }

  private writeAt(src: Uint8Array, srcOffset: number, length: number, pos: FileOffset, cred: Credentials | null): number {
    if (!this.writable) return -Errno.EBADF;
    const inode = this.inode;
    const write = this.ops?.write?.bind(this.ops) ?? inode.write?.bind(inode);
    if (write === undefined) return -Errno.EINVAL;
    if (length === 0) return 0;
    // generic_write_check_limits: nothing at or past s_maxbytes, short up to it.
    const max = inode.fs.maxFileSize;
    if (pos === max || offsetAbove(pos, max)) return -Errno.EFBIG;
    // file_remove_privs: a write by a caller without CAP_FSETID drops S_ISUID, and
    // S_ISGID when group-executable or the caller is outside the group.
    if (cred !== null) {
      const mode = modeAfterKillPriv(cred, inode);
      if (mode >= 0) {
        const err = inode.setattr({ mode });
        if (err < 0) return err;
      }
    }
    // pos < max: a bigint pos only where max is one, so a number-only file system sees numbers
    // (mem.c's devices, which ignore the position, get the nearest one).
    const at = typeof pos !== 'number' && this.ops?.write !== undefined ? Number(pos) : pos;
    return write(at as number, src, srcOffset, countBelow(length, pos, max));
  }

  /**
   * lseek(2) as generic_file_llseek_size, SEEK_DATA/SEEK_HOLE as
   * shmem_file_llseek; directories as dcache_dir_lseek (SET and CUR only).
   */
  lseek(offset: FileOffset, whence: number): FileOffset {
    if (this.isPathOnly) return -Errno.EBADF;
    if (this.ops?.stream === true) return -Errno.ESPIPE; // no_llseek
    if (this.ops?.llseek !== undefined) {
      const to = this.ops.llseek(this.pos, offset, whence);
      if (to >= 0) this.pos = to;
      return to;
    }
    const inode = this.inode;
    if (isDir(inode.mode)) {
      if (whence === SEEK.SEEK_CUR) offset = offsetAdd(offset, this.pos);
      else if (whence !== SEEK.SEEK_SET) return -Errno.EINVAL;
      if (offset < 0) return -Errno.EINVAL;
      this.pos = offset;
      return offset;
    }
    const size = inode.size();
    switch (whence) {
      case SEEK.SEEK_SET:
        break;
      case SEEK.SEEK_CUR:
        if (offset === 0) return this.pos;
        // Exact sums: where C's loff_t would wrap negative, the sum passes maxFileSize (EINVAL either way).
        offset = offsetAdd(offset, this.pos);
        break;
      case SEEK.SEEK_END:
        offset = offsetAdd(offset, size);
        break;
      case SEEK.SEEK_DATA:
      case SEEK.SEEK_HOLE: {
        if (offset < 0 || offset >= size) return -Errno.ENXIO;
        const hole = whence === SEEK.SEEK_HOLE;
        const found = inode.seekData ? inode.seekData(offset, hole) : hole ? size : offset;
        if (found < 0) return found;
        offset = found;
        break;
      }
      default:
        return -Errno.EINVAL;
    }
    if (offset < 0 || offsetAbove(offset, inode.fs.maxFileSize)) return -Errno.EINVAL; // vfs_setpos
    this.pos = offset;
    return offset;
  }

  /**
   * ftruncate(2) (do_sys_ftruncate): a negative length or a descriptor not
   * open for writing or not on a regular file is EINVAL.
   */
  truncate(length: FileOffset, cred: Credentials): number {
    if (length < 0) return -Errno.EINVAL;
    if (this.isPathOnly) return -Errno.EBADF;
    if (!isReg(this.inode.mode) || !this.writable) return -Errno.EINVAL;
    return truncateInode(cred, this.inode, length, true);
  }

  /** fsync(2)/fdatasync(2): EINVAL where the file has no fsync (vfs_fsync_range). */
  fsync(datasync: boolean): number {
    if (this.isPathOnly) return -Errno.EBADF;
    if (this.ops?.fsync !== undefined) return this.ops.fsync(datasync);
    const inode = this.inode;
    return inode.fsync ? inode.fsync(datasync) : -Errno.EINVAL;
  }

  /** vfs_ioctl: the file's own ioctl, ENOTTY when it has none (the syscall layer has answered do_vfs_ioctl's). */
  ioctl(request: number, arg: number, ctx: IoctlContext): number {
    if (this.isPathOnly) return -Errno.EBADF;
    return this.ops?.ioctl !== undefined ? this.ops.ioctl(request, arg, ctx) : -Errno.ENOTTY;
  }

  /** fstat(2). */
  stat(): Stat {
    return statInode(this.inode);
  }

  // ---- flags ----

  /** F_GETFL: f_flags, with O_LARGEFILE as every open on x86-64 has it (force_o_largefile). */
  getFlags(): number {
    return this.flags | O.O_LARGEFILE;
  }

  /** F_SETFL (fs/fcntl.c:setfl): only SETFL_MASK changes; O_NOATIME needs ownership. */
  setFlags(arg: number, cred: Credentials): number {
    if (this.isPathOnly) return -Errno.EBADF;
    if ((arg & O.O_NOATIME) !== 0 && (this.flags & O.O_NOATIME) === 0 && !isOwnerOrCapable(cred, this.inode)) {
      return -Errno.EPERM;
    }
    if ((arg & O.O_NDELAY) !== 0) arg |= O.O_NONBLOCK;
    // setfl: O_DIRECT only where the file can do direct I/O (FMODE_CAN_ODIRECT).
    if ((arg & O.O_DIRECT) !== 0 && refusesDirectIo(this.inode)) return -Errno.EINVAL;
    this.flags = (arg & SETFL_MASK) | (this.flags & ~SETFL_MASK);
    return 0;
  }

  // ---- directories ----

  /**
   * getdents (iterate_dir + dcache_readdir): "." and ".." at positions 0 and
   * 1, then the file system's entries, from the file position on; the
   * position advances past every entry `emit` accepts. A removed directory
   * is ENOENT, as iterate_dir answers for IS_DEADDIR (glibc's readdir turns
   * that into the end of the listing).
   */
  iterateDir(emit: DirEmitter, caller: FsCaller): number {
    if (this.isPathOnly) return -Errno.EBADF;
    const inode = this.inode;
    if (!isDir(inode.mode)) return -Errno.ENOTDIR;
    if (inode.nlink === 0) return -Errno.ENOENT; // IS_DEADDIR
    const dirType = dirEntryType(inode.mode);
    if (typeof this.pos !== 'number') return 0; // lseek'd past any entry (dcache_dir_lseek takes any offset)
    if (this.pos === 0) {
      if (!emit('.', inode.ino, dirType, 1)) return 0;
      this.pos = 1;
    }
    if (this.pos === 1) {
      const parent = this.path.dentry.parent?.inode ?? inode;
      if (!emit('..', parent.ino, dirType, 2)) return 0;
      this.pos = 2;
    }
    for (const e of inode.fs.readdir(inode, this.pos, caller)) {
      if (!emit(e.name, e.ino, dirEntryType(e.type), e.offset + 1)) break;
      this.pos = e.offset + 1;
    }
    return 0;
  }

  /**
   * file_accessed: the file was read, or mapped (shmem_mmap and
   * generic_file_mmap call it once the mapping is made): the access time
   * moves by the file system's rules, unless the descriptor has O_NOATIME.
   */
  fileAccessed(): void {
    if ((this.flags & O.O_NOATIME) === 0) this.inode.accessed?.();
  }

  // ---- mmap ----

  /**
   * The source for mmap(2): the inode's page cache, the mapping identity for
   * /proc/[pid]/maps, and the access this descriptor grants (do_mmap checks
   * MAP_SHARED + PROT_WRITE against `writable`, every map against
   * `readable`). A file that cannot be mapped gives a source without an
   * object (the memory manager answers ENODEV in do_mmap's order); EBADF for
   * O_PATH. The identity comes without a reference: each VMA takes its own.
   */
  mmapSource(): MmapSource | number {
    if (this.isPathOnly) return -Errno.EBADF;
    const mappable = this.inode.mappable?.() ?? null;
    const mappableFile = mappable !== null && this.identities !== null;
    return {
      mappable: mappableFile ? mappable : null,
      identity: mappableFile ? this.identities!.identityFor(this) : null,
      readable: this.readable,
      writable: this.writable,
    };
  }
}
