import { Errno, PAGE_SIZE, S } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { DirEntry, FileSystem, FsCaller, FsStatistics, Inode, NewInode } from '@tskern/vfs';
import { Allocator } from './allocator';
import { BlockCache, ExtError, guarded } from './block-cache';
import { JBD2_MAGIC, replayJournal } from './journal-replay';
import { Directory } from './directory';
import { DiskInode, GOOD_OLD_INODE_SIZE, INODE_FL } from './disk-inode';
import { ExtInode } from './ext-inode';
import { ExtentTree } from './extent-tree';
import { gdtBlocks } from './group-descriptors';
import { encodeSpecialDevice } from './special-inode';
import {
  COMPAT,
  EXT4_SUPER_MAGIC,
  groupHasSuper,
  INCOMPAT,
  RO_COMPAT,
  Superblock,
  SUPERBLOCK_OFFSET,
  SUPERBLOCK_SIZE,
  SUPPORTED_INCOMPAT,
  SUPPORTED_RO_COMPAT,
} from './superblock';

/** The root directory's inode number (EXT4_ROOT_INO). */
export const ROOT_INO = 2;
/** The journal's inode (EXT4_JOURNAL_INO). */
const JOURNAL_INO = 8;
/** EXT4_LINK_MAX: past it a directory with dir_nlink counts 1 link. */
const LINK_MAX = 65000;
/** Longest symlink kept in i_block (a fast symlink). */
const FAST_SYMLINK_MAX = 59;

/** The flavours mount(2) can name: they differ in the features they accept. */
export type ExtFlavour = 'ext2' | 'ext3' | 'ext4';

/** Options of ExtFs.mount. */
export interface ExtMountOptions {
  readonly frames: FrameAllocator;
  readonly flavour?: ExtFlavour;
  readonly readOnly?: boolean;
  readonly clock?: () => number;
  /** norecovery / noload: a journal holding transactions is not replayed (the mount must then be read-only). */
  readonly noRecovery?: boolean;
}

/** ext3 and ext2 accept only their own incompatible features (ext4_feature_set_ok, EXT3/EXT2_FEATURE_*_SUPP). */
const FLAVOUR_INCOMPAT: Record<ExtFlavour, number> = {
  ext2: INCOMPAT.FILETYPE | INCOMPAT.META_BG,
  ext3: INCOMPAT.FILETYPE | INCOMPAT.RECOVER | INCOMPAT.META_BG,
  ext4: ~0,
};
const FLAVOUR_RO_COMPAT: Record<ExtFlavour, number> = {
  ext2: RO_COMPAT.SPARSE_SUPER | RO_COMPAT.LARGE_FILE | RO_COMPAT.BTREE_DIR,
  ext3: RO_COMPAT.SPARSE_SUPER | RO_COMPAT.LARGE_FILE | RO_COMPAT.BTREE_DIR,
  ext4: ~0,
};

/**
 * A mounted ext2, ext3 or ext4 file system (fs/ext4/super.c and friends)
 * over a BlockDevice. A journal that needs recovery is replayed at mount
 * (journal-replay.ts); the journal is never written otherwise. Metadata
 * changes stay in the block cache until `sync` (sync(2), fsync, msync,
 * umount), which writes them with every checksum set.
 */
export class ExtFs implements FileSystem {
  readonly type: string;
  readonly deviceId: number;
  readonly maxFileSize: number;
  readOnly: boolean;
  readonly frames: FrameAllocator;
  readonly cache: BlockCache;
  readonly alloc: Allocator;
  readonly blockSize: number;
  /** s_csum_seed with metadata_csum, else null. */
  readonly csumSeed: number | null;
  readonly hugeFile: boolean;
  /** O_DIRECT alignment: the device's logical block size (ext4 allows direct I/O). */
  readonly directIoAlignment: number;
  /** Why a read-write (re)mount is refused: 0, or -errno (unknown ro_compat features, a journal to replay). */
  private writeRefusal = 0;
  private readonly inodes = new Map<number, ExtInode>();
  private readonly clock: () => number;
  private generation = 1;

  private constructor(
    readonly device: BlockDevice,
    readonly sb: Superblock,
    options: ExtMountOptions,
    readOnly: boolean,
  ) {
    this.type = options.flavour ?? 'ext4';
    this.deviceId = device.deviceNumber;
    this.frames = options.frames;
    this.readOnly = readOnly;
    this.clock = options.clock ?? Date.now;
    this.blockSize = sb.blockSize;
    this.cache = new BlockCache(device, sb.blockSize);
    this.csumSeed = sb.hasMetadataCsum ? sb.csumSeed() : null;
    this.alloc = new Allocator(sb, this.cache, this.csumSeed ?? 0);
    this.hugeFile = sb.has('ro', RO_COMPAT.HUGE_FILE);
    this.directIoAlignment = device.logicalBlockSize;
    this.maxFileSize = this.computeMaxSize();
  }

  /**
   * ext4_fill_super's checks, in its order: the magic (EINVAL), the block
   * size (EINVAL when larger than a page or odd), incompatible features this
   * flavour or package does not know (EINVAL), read-only-compatible ones
   * (a read-write mount is EINVAL, ext4_feature_set_ok),
   * checksums of the superblock (EFSBADCRC, which is EBADMSG) and of the
   * descriptors (EFSCORRUPTED, EUCLEAN), and a journal that needs recovery (replayed when
   * the device is writable and `noRecovery` is not set; else read-only only, as `noload`).
   */
  static mount(device: BlockDevice, options: ExtMountOptions): ExtFs | number {
    const raw = new Uint8Array(SUPERBLOCK_SIZE);
    const n = device.read(SUPERBLOCK_OFFSET, raw, 0, SUPERBLOCK_SIZE);
    if (n < 0) return n;
    if (n < SUPERBLOCK_SIZE) return -Errno.EINVAL;
    const sb = new Superblock(raw);
    if (sb.magic !== EXT4_SUPER_MAGIC) return -Errno.EINVAL;
    if (sb.logBlockSize > 2 || sb.blockSize > PAGE_SIZE) return -Errno.EINVAL;
    if (sb.inodeSize < GOOD_OLD_INODE_SIZE || sb.inodeSize > sb.blockSize || (sb.inodeSize & (sb.inodeSize - 1)) !== 0) return -Errno.EINVAL;
    if (sb.blocksPerGroup === 0 || sb.inodesPerGroup === 0 || sb.blocksCount * sb.blockSize > device.size()) return -Errno.EINVAL;
    const flavour = options.flavour ?? 'ext4';
    const incompat = sb.featureIncompat;
    if ((incompat & ~SUPPORTED_INCOMPAT) !== 0 || (incompat & ~FLAVOUR_INCOMPAT[flavour]) !== 0) return -Errno.EINVAL;
    if (flavour === 'ext3' && !sb.has('compat', COMPAT.HAS_JOURNAL)) return -Errno.EINVAL;
    let readOnly = options.readOnly ?? false;
    const roCompat = sb.featureRoCompat;
    const roOnly = (roCompat & ~SUPPORTED_RO_COMPAT) !== 0 || (roCompat & ~FLAVOUR_RO_COMPAT[flavour]) !== 0;
    if (roOnly && !readOnly) return -Errno.EINVAL;
    if (!sb.checksumOk()) return -Errno.EBADMSG; // -EFSBADCRC
    if (device.readOnly()) readOnly = true;
    const fs = new ExtFs(device, sb, options, readOnly);
    let dirtyJournal = false;
    if (sb.has('incompat', INCOMPAT.RECOVER)) {
      // ext4_load_journal: an empty journal (s_start 0) needs no replay, and the
      // flag goes. One with transactions is replayed when the device can be
      // written (a read-only mount too, as Linux: "write access will be enabled
      // during recovery"), then the mount starts again from what is on disk.
      const empty = guarded(() => fs.journalEmpty());
      if (empty !== true && options.noRecovery !== true) {
        // A read-only device: "write access unavailable, cannot proceed (try mounting with noload)".
        if (device.readOnly()) return -Errno.EROFS;
        const replayed = fs.recover();
        if (replayed < 0) return replayed;
        return ExtFs.mount(device, options);
      }
      if (empty === true && !readOnly) sb.featureIncompat = sb.featureIncompat & ~INCOMPAT.RECOVER;
      else if (empty !== true) {
        if (!readOnly) return -Errno.EINVAL;
        dirtyJournal = true;
      }
    }
    fs.writeRefusal = roOnly || dirtyJournal ? -Errno.EROFS : device.readOnly() ? -Errno.EACCES : 0;
    const ok = guarded(() => (fs.alloc.descriptorsOk() ? 0 : -Errno.EUCLEAN)); // ext4_check_descriptors: -EFSCORRUPTED
    if (ok !== 0) return ok;
    // ext4_fill_super's percpu counters start from the group descriptors (ext4_count_free_clusters,
    // ext4_count_free_inodes), not the superblock's figures, which lag (after a journal replay too).
    sb.freeBlocks = fs.alloc.groups.reduce((n, d) => n + d.freeBlocks, 0);
    sb.freeInodes = fs.alloc.groups.reduce((n, d) => n + d.freeInodes, 0);
    const root = fs.inode(ROOT_INO);
    if (typeof root === 'number') return root;
    if (!root.isDirectory) return -Errno.EINVAL;
    if (!readOnly) {
      sb.mountTime = Math.floor(fs.now() / 1000);
      sb.mountCount = sb.mountCount + 1;
      // Linux's lazyinit thread zeroes the tables mke2fs left (lazy_itable_init) soon after a
      // read-write mount (Linux 6.18: every group is ITABLE_ZEROED a few seconds later); here it is
      // done at once.
      const r = guarded(() => {
        fs.alloc.initInodeTables((block, count) => fs.zeroBlocks(block, count));
        return 0;
      });
      if (r < 0) return r;
    }
    return fs;
  }

  /** sb_issue_zeroout: zeros over `count` blocks from `block`, straight to the device. */
  private zeroBlocks(block: number, count: number): void {
    const chunk = new Uint8Array(Math.min(count, 64) * this.blockSize);
    for (let done = 0; done < count; ) {
      const n = Math.min(64, count - done);
      this.cache.writeRaw((block + done) * this.blockSize, chunk, 0, n * this.blockSize);
      done += n;
    }
  }

  /** ext4_max_size / ext4_max_bitmap_size: 2^32 blocks with extents, the indirect tree's reach without. */
  private computeMaxSize(): number {
    const bs = this.blockSize;
    if (this.sb.has('incompat', INCOMPAT.EXTENTS)) return (2 ** 32 - 1) * bs;
    const per = bs / 4;
    const blocks = 12 + per + per * per + per * per * per;
    const sectorLimit = this.hugeFile ? Infinity : (2 ** 32 - 1) * 512;
    return Math.min(blocks * bs, sectorLimit, 2 ** 53 - 1);
  }

  /**
   * Replay the journal onto the device (jbd2_journal_recover), then clear
   * needs_recovery in the superblock on disk (ext4_mark_recovery_complete):
   * the transactions replayed, or -errno.
   */
  private recover(): number {
    const journalIno = this.sb.view.getUint32(0xe0, true);
    const map = guarded(() => {
      const journal = this.inode(journalIno === 0 ? JOURNAL_INO : journalIno);
      if (typeof journal === 'number') return journal;
      const blocks: number[] = [];
      for (let l = 0; l * this.blockSize < journal.size(); l++) {
        const m = journal.map().lookup(l);
        if (m === null) throw new ExtError(Errno.EIO);
        blocks.push(m.physical);
      }
      return blocks;
    });
    if (typeof map === 'number') return map;
    const bs = this.blockSize;
    const at = (l: number): number => (l < map.length ? map[l]! : -1);
    const io = {
      readJournal: (l: number): Uint8Array | number => {
        if (at(l) < 0) return -Errno.EIO;
        const b = new Uint8Array(bs);
        const n = this.device.read(at(l) * bs, b, 0, bs);
        return n < 0 ? n : n < bs ? -Errno.EIO : b;
      },
      writeHome: (block: number, data: Uint8Array): number => {
        if (block >= this.sb.blocksCount) return -Errno.EIO;
        const n = this.device.write(block * bs, data, 0, bs);
        return n < 0 ? n : n < bs ? -Errno.EIO : 0;
      },
      writeJournal: (l: number, data: Uint8Array): number => {
        if (at(l) < 0) return -Errno.EIO;
        const n = this.device.write(at(l) * bs, data, 0, bs);
        return n < 0 ? n : n < bs ? -Errno.EIO : 0;
      },
    };
    const replayed = replayJournal(io);
    if (replayed < 0) return replayed;
    // The superblock as the replay left it, needs_recovery cleared.
    const raw = new Uint8Array(SUPERBLOCK_SIZE);
    const n = this.device.read(SUPERBLOCK_OFFSET, raw, 0, SUPERBLOCK_SIZE);
    if (n < SUPERBLOCK_SIZE) return n < 0 ? n : -Errno.EIO;
    const sb = new Superblock(raw);
    sb.featureIncompat = sb.featureIncompat & ~INCOMPAT.RECOVER;
    sb.seal();
    const w = this.device.write(SUPERBLOCK_OFFSET, raw, 0, SUPERBLOCK_SIZE);
    if (w < 0) return w;
    const f = this.device.flush();
    return f < 0 ? f : replayed;
  }

  /** Whether the journal holds no transaction (its big-endian superblock's s_start is 0). */
  private journalEmpty(): boolean {
    const journalIno = this.sb.view.getUint32(0xe0, true);
    const journal = this.inode(journalIno === 0 ? JOURNAL_INO : journalIno);
    if (typeof journal === 'number') return false;
    const first = journal.map().lookup(0);
    if (first === null) return false;
    const block = this.cache.get(first.physical);
    const v = new DataView(block.buffer, block.byteOffset, block.length);
    return v.getUint32(0, false) === JBD2_MAGIC && v.getUint32(0x1c, false) === 0;
  }

  /** ext4_reconfigure to read-write: 0, or why not. */
  canWrite(): number {
    return this.writeRefusal;
  }

  now(): number {
    return this.clock();
  }

  root(): Inode {
    return this.inode(ROOT_INO) as ExtInode;
  }

  /** ext4_iget: the in-memory inode `ino` (one object per inode), read from its table block. */
  inode(ino: number): ExtInode | number {
    const have = this.inodes.get(ino);
    if (have !== undefined) return have;
    return guarded(() => {
      if (ino < 1 || ino > this.sb.inodesCount) throw new ExtError(Errno.EIO);
      // A slot past the used part of its table holds nothing valid (maybe stale bytes): as a
      // zeroed, unallocated inode, which ext4_lookup answers "deleted inode referenced", EUCLEAN.
      if (this.alloc.inodeUnused(ino)) throw new ExtError(Errno.EUCLEAN);
      const { block, offset } = this.alloc.inodeLocation(ino);
      const raw = this.cache.get(block).slice(offset, offset + this.sb.inodeSize);
      const disk = new DiskInode(raw);
      if (this.csumSeed !== null && disk.computeChecksum(this.csumSeed, ino) !== disk.checksum()) throw new ExtError(Errno.EIO); // EFSBADCRC
      if ((disk.flags & INODE_FL.INLINE_DATA) !== 0) throw new ExtError(Errno.EIO); // inline_data is refused at mount
      const inode = new ExtInode(this, ino, disk);
      this.inodes.set(ino, inode);
      return inode;
    });
  }

  /** ext4_do_update_inode: checksum the inode and put it in its table block. */
  saveInode(inode: ExtInode): void {
    if (this.csumSeed !== null) inode.disk.seal(this.csumSeed, inode.ino);
    const { block, offset } = this.alloc.inodeLocation(inode.ino);
    this.cache.get(block).set(inode.disk.raw, offset);
    this.cache.markDirty(block);
  }

  /** The last reference to `inode` went: an unlinked one is deleted now (ext4_evict_inode). */
  released(inode: ExtInode): void {
    if (inode.disk.linksCount !== 0 || this.readOnly) return;
    guarded(() => this.evict(inode));
  }

  private evict(inode: ExtInode): void {
    if (inode.refCount > 0 || !this.inodes.has(inode.ino)) return;
    inode.freeAllBlocks();
    inode.disk.dtime = Math.floor(this.now() / 1000);
    inode.save();
    this.alloc.freeInode(inode.ino, inode.isDirectory);
    this.inodes.delete(inode.ino);
  }

  private dir(inode: Inode): Directory {
    return new Directory(this, inode as ExtInode);
  }

  private writable(): number {
    return this.readOnly ? -Errno.EROFS : 0;
  }

  lookup(dir: Inode, name: string, _caller?: FsCaller): Inode | number {
    const r = guarded(() => this.dir(dir).find(name));
    if (typeof r === 'number') return r;
    if (r === undefined) return -Errno.ENOENT;
    return this.inode(r.ino);
  }

  readdir(dir: Inode, offset: number, _caller?: FsCaller): Iterable<DirEntry> {
    const r = guarded(() => [...this.dir(dir).list(offset)]);
    return typeof r === 'number' ? [] : r;
  }

  readlink(link: Inode, _caller?: FsCaller): string | number {
    const inode = link as ExtInode;
    return guarded(() => {
      const size = inode.size();
      if (inode.blocks() === 0 || (inode.disk.fileAcl !== 0 && inode.blocks() === this.blockSize / 512)) {
        return String.fromCharCode(...inode.disk.iblock.subarray(0, Math.min(size, 60)));
      }
      const out: string[] = [];
      for (let b = 0; b * this.blockSize < size; b++) {
        const m = inode.map().lookup(b);
        const data = m === null ? new Uint8Array(this.blockSize) : this.cache.get(m.physical);
        out.push(String.fromCharCode(...data.subarray(0, Math.min(this.blockSize, size - b * this.blockSize))));
      }
      return out.join('');
    });
  }

  /**
   * __ext4_new_inode: a fresh inode near its parent, every field zeroed but
   * the owner, mode, times, the extra-size fields and (for files and
   * directories on ext4) an empty extent tree.
   */
  private newInode(parent: ExtInode, attrs: NewInode, extents: boolean): ExtInode {
    const directory = (attrs.mode & S.S_IFMT) === S.S_IFDIR;
    const ino = this.alloc.allocInode(parent.ino, directory);
    const disk = new DiskInode(new Uint8Array(this.sb.inodeSize));
    if (this.sb.inodeSize > GOOD_OLD_INODE_SIZE) disk.extraIsize = Math.max(32, this.sb.wantExtraIsize);
    disk.mode = attrs.mode;
    disk.uid = attrs.uid;
    disk.gid = attrs.gid;
    disk.linksCount = 1;
    disk.generation = this.generation++;
    const now = this.now();
    disk.setAtime(now);
    disk.setCtime(now);
    disk.setMtime(now);
    disk.setCrtime(now);
    if (extents && this.sb.has('incompat', INCOMPAT.EXTENTS)) {
      disk.flags = INODE_FL.EXTENTS;
      ExtentTree.init(disk.iblock);
    }
    const inode = new ExtInode(this, ino, disk);
    this.inodes.set(ino, inode);
    inode.save();
    return inode;
  }

  /** Undo a new inode whose name could not be added. */
  private discard(inode: ExtInode): void {
    inode.disk.linksCount = 0;
    this.evict(inode);
  }

  create(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const parent = dir as ExtInode;
      const inode = this.newInode(parent, attrs, true);
      this.link2(parent, name, inode);
      return inode;
    });
  }

  /** Add the name, or give the new inode back and rethrow. */
  private link2(parent: ExtInode, name: string, inode: ExtInode): void {
    try {
      this.dir(parent).add(name, inode);
    } catch (e) {
      this.discard(inode);
      throw e;
    }
    parent.touch();
    parent.save();
  }

  mkdir(dir: Inode, name: string, attrs: NewInode): Inode | number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const parent = dir as ExtInode;
      const inode = this.newInode(parent, attrs, true);
      try {
        Directory.init(this, inode, parent.ino);
      } catch (e) {
        this.discard(inode);
        throw e;
      }
      inode.disk.linksCount = 2;
      inode.save();
      this.link2(parent, name, inode);
      this.addLink(parent);
      parent.save();
      return inode;
    });
  }

  /**
   * ext4_mknod: a FIFO, socket or device node. No extents (ext4_new_inode
   * sets EXTENT_FL only for directories, regular files and symlinks) and
   * no blocks; a device's number goes in i_block (`encodeSpecialDevice`).
   */
  mknod(dir: Inode, name: string, attrs: NewInode, rdev: number): Inode | number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const parent = dir as ExtInode;
      const inode = this.newInode(parent, attrs, false);
      const type = attrs.mode & S.S_IFMT;
      if (type === S.S_IFCHR || type === S.S_IFBLK) encodeSpecialDevice(inode.disk.iblock, rdev);
      inode.save();
      this.link2(parent, name, inode);
      return inode;
    });
  }

  symlink(dir: Inode, name: string, target: string, attrs: NewInode): Inode | number {
    const ro = this.writable();
    if (ro < 0) return ro;
    if (target.length >= this.blockSize) return -Errno.ENAMETOOLONG;
    return guarded(() => {
      const parent = dir as ExtInode;
      const fast = target.length <= FAST_SYMLINK_MAX;
      const inode = this.newInode(parent, attrs, !fast);
      const bytes = Uint8Array.from(target, (c) => c.charCodeAt(0) & 0xff);
      if (fast) inode.disk.iblock.set(bytes);
      else {
        try {
          const b = inode.blockFor(0);
          this.cache.fresh(b).set(bytes);
        } catch (e) {
          this.discard(inode);
          throw e;
        }
      }
      inode.disk.size = bytes.length;
      inode.save();
      this.link2(parent, name, inode);
      return inode;
    });
  }

  link(target: Inode, dir: Inode, name: string): number {
    const ro = this.writable();
    if (ro < 0) return ro;
    const inode = target as ExtInode;
    if (inode.nlink >= LINK_MAX) return -Errno.EMLINK;
    return guarded(() => {
      const parent = dir as ExtInode;
      this.dir(parent).add(name, inode);
      inode.disk.linksCount = inode.nlink + 1;
      inode.disk.setCtime(this.now());
      inode.save();
      parent.touch();
      parent.save();
      return 0;
    });
  }

  /** A directory gains a subdirectory: one more link, or 1 past EXT4_LINK_MAX with dir_nlink. */
  private addLink(dir: ExtInode): void {
    const n = dir.disk.linksCount;
    dir.disk.linksCount = n === 1 || n + 1 >= LINK_MAX ? 1 : n + 1;
  }

  /** The inode the entry `name` of `parent` names, or -ENOENT without one (or `inode`'s errno). */
  private child(parent: ExtInode, name: string): ExtInode | number {
    const entry = this.dir(parent).find(name);
    return entry === undefined ? -Errno.ENOENT : this.inode(entry.ino);
  }

  private dropLink(dir: ExtInode): void {
    const n = dir.disk.linksCount;
    if (n > 2) dir.disk.linksCount = n - 1;
  }

  unlink(dir: Inode, name: string): number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const parent = dir as ExtInode;
      const inode = this.child(parent, name);
      if (typeof inode === 'number') return inode;
      this.dir(parent).remove(name);
      parent.touch();
      parent.save();
      this.unlinkInode(inode);
      return 0;
    });
  }

  /** One name of `inode` went away. */
  private unlinkInode(inode: ExtInode): void {
    inode.disk.linksCount = Math.max(0, inode.nlink - 1);
    inode.disk.setCtime(this.now());
    inode.save();
    if (inode.nlink === 0) this.evict(inode);
  }

  rmdir(dir: Inode, name: string): number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const parent = dir as ExtInode;
      const inode = this.child(parent, name);
      if (typeof inode === 'number') return inode;
      if (!inode.isDirectory) return -Errno.ENOTDIR;
      if (!this.dir(inode).isEmpty()) return -Errno.ENOTEMPTY;
      this.dir(parent).remove(name);
      this.dropLink(parent);
      parent.touch();
      parent.save();
      inode.disk.linksCount = 0;
      inode.disk.setCtime(this.now());
      inode.save();
      this.evict(inode);
      return 0;
    });
  }

  rename(oldDir: Inode, oldName: string, newDir: Inode, newName: string): number {
    const ro = this.writable();
    if (ro < 0) return ro;
    return guarded(() => {
      const from = oldDir as ExtInode;
      const to = newDir as ExtInode;
      const inode = this.child(from, oldName);
      if (typeof inode === 'number') return inode;
      const target = this.dir(to).find(newName);
      if (target !== undefined && target.ino === inode.ino) return 0;
      let replaced: ExtInode | null = null;
      if (target !== undefined) {
        const t = this.inode(target.ino);
        if (typeof t === 'number') return t;
        if (t.isDirectory && !this.dir(t).isEmpty()) return -Errno.ENOTEMPTY;
        replaced = t;
        this.dir(to).retarget(newName, inode);
      } else this.dir(to).add(newName, inode);
      this.dir(from).remove(oldName);
      if (inode.isDirectory && from !== to) {
        this.dir(inode).setParent(to.ino);
        this.dropLink(from);
        if (replaced === null) this.addLink(to);
      }
      if (replaced !== null) {
        if (replaced.isDirectory) {
          replaced.disk.linksCount = 0;
          if (from === to) this.dropLink(to);
          replaced.save();
          this.evict(replaced);
        } else this.unlinkInode(replaced);
      }
      const now = this.now();
      inode.disk.setCtime(now);
      inode.save();
      for (const d of from === to ? [from] : [from, to]) {
        d.disk.setMtime(now);
        d.disk.setCtime(now);
        d.save();
      }
      return 0;
    });
  }

  /**
   * ext4_statfs: blocks less the metadata overhead (bsddf), free blocks,
   * available ones past the root reserve and s_resv_clusters, inode counts.
   */
  statfs(): FsStatistics {
    const sb = this.sb;
    const free = sb.freeBlocks;
    return {
      magic: EXT4_SUPER_MAGIC,
      blockSize: this.blockSize,
      blocks: sb.blocksCount - this.overhead(),
      freeBlocks: free,
      availableBlocks: Math.max(0, free - sb.reservedBlocks - this.alloc.reservedPool()),
      files: sb.inodesCount,
      freeFiles: sb.freeInodes,
      nameMax: 255,
    };
  }

  /** ext4_calculate_overhead: s_overhead_clusters when set, else the static metadata and the journal. */
  private overhead(): number {
    const stored = this.sb.view.getUint32(0x248, true);
    if (stored !== 0) return stored;
    const sb = this.sb;
    let n = sb.firstDataBlock;
    const itable = this.alloc.inodeTableBlocks();
    for (let g = 0; g < this.alloc.groupCount; g++) {
      if (groupHasSuper(sb, g)) n += 1 + gdtBlocks(sb) + sb.reservedGdtBlocks;
      n += 2 + itable;
    }
    if (sb.has('compat', COMPAT.HAS_JOURNAL)) {
      const j = this.inode(JOURNAL_INO);
      if (typeof j !== 'number') n += Math.ceil(j.size() / this.blockSize);
    }
    return n;
  }

  /**
   * sync_filesystem: every file's dirty pages, then the metadata with its
   * checksums, the superblock last, then a device flush. 0 or -errno.
   */
  sync(): number {
    if (this.readOnly) return 0;
    return guarded(() => {
      for (const inode of this.inodes.values()) inode.flushPages(0, Infinity);
      return this.syncMetadata();
    });
  }

  /**
   * Memory is short: every file's dirty pages are written and its clean,
   * unmapped pages dropped (what page reclaim does to a page cache). The
   * number of pages freed.
   */
  reclaim(): number {
    let freed = 0;
    for (const inode of this.inodes.values()) freed += inode.reclaimPages();
    return freed;
  }

  /** Write the metadata blocks and the superblock (what a jbd2 commit and checkpoint would leave). */
  syncMetadata(): number {
    if (this.readOnly) return 0;
    return guarded(() => {
      this.alloc.seal();
      this.cache.flush();
      const sb = this.sb;
      sb.writeTime = Math.floor(this.now() / 1000);
      sb.kbytesWritten = sb.kbytesWritten + Math.floor(this.cache.bytesWritten / 1024);
      this.cache.bytesWritten = 0;
      sb.seal();
      const n = this.device.write(SUPERBLOCK_OFFSET, sb.raw, 0, SUPERBLOCK_SIZE);
      if (n < 0) return n;
      return this.device.flush();
    });
  }

  /** put_super: after the VFS's sync, drop what is held (pages, inodes, blocks). */
  shutdown(): void {
    this.sync();
    for (const inode of this.inodes.values()) inode.dropPages();
    this.inodes.clear();
    this.cache.clear();
  }
}
