import { Errno, S } from '@tskern/abi';
import { LimitedFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import type { FileSystem, FileSystemType, FsStatistics } from '@tskern/vfs';
import { parseTmpfsParameters, type TmpfsParameters } from './tmpfs-parameters';

/** A quota standing for "no limit" (size=0): more frames than any allocator has. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** A tmpfs made by mount(2): a RamFs whose pages count against its size= quota. */
class TmpfsInstance extends RamFs {
  constructor(
    readonly quota: LimitedFrameAllocator,
    readonly settings: Required<Omit<TmpfsParameters, 'huge' | 'inode64' | 'noswap'>> & Pick<TmpfsParameters, 'huge' | 'inode64' | 'noswap'>,
    readOnly: boolean,
  ) {
    super({
      frames: quota,
      type: 'tmpfs',
      rootMode: S.S_IFDIR | settings.mode,
      rootUid: settings.uid,
      rootGid: settings.gid,
      readOnly,
    });
  }

  /** shmem_statfs: the size limit and what is left of it; no figures at all without a limit (size=0). */
  override statfs(): FsStatistics {
    const base = super.statfs();
    if (this.settings.blocks === 0n) return { ...base, blocks: 0, freeBlocks: 0, availableBlocks: 0 };
    return base;
  }
}

/** The quota in frames for `blocks` pages (0: none). */
function quotaFrames(blocks: bigint): number {
  return blocks === 0n || blocks > BigInt(NO_LIMIT) ? NO_LIMIT : Number(blocks);
}

/**
 * The "tmpfs" file system type (mm/shmem.c): each mount(2) makes a new
 * tmpfs over `frames`. Without size= it may hold half of RAM
 * (shmem_default_max_blocks), and nr_inodes defaults to the same count;
 * the root directory is mode 01777 owned by the caller's fsuid and fsgid
 * unless mode=, uid=, gid= say otherwise. A write past the size limit
 * fails as the allocator reports (ENOSPC for write(2), SIGBUS for a fault).
 * nr_inodes is parsed, checked and shown but not enforced (tskern does not
 * count a tmpfs's inodes).
 */
export function tmpfsType(frames: FrameAllocator): FileSystemType {
  const totalPages = () => frames.stats().totalFrames;
  const defaultBlocks = () => BigInt(Math.floor(totalPages() / 2));
  return {
    name: 'tmpfs',
    requiresDevice: false,
    mount(request) {
      const p = parseTmpfsParameters(request.parameters, totalPages());
      if (typeof p === 'number') return p;
      const settings = {
        blocks: p.blocks ?? defaultBlocks(),
        inodes: p.inodes ?? defaultBlocks(),
        mode: p.mode ?? (0o777 | S.S_ISVTX),
        uid: p.uid ?? request.uid,
        gid: p.gid ?? request.gid,
        ...(p.huge !== undefined ? { huge: p.huge } : {}),
        ...(p.inode64 !== undefined ? { inode64: p.inode64 } : {}),
        ...(p.noswap !== undefined ? { noswap: p.noswap } : {}),
      };
      return new TmpfsInstance(new LimitedFrameAllocator(frames, { maxFrames: quotaFrames(settings.blocks) }), settings, request.readOnly);
    },
    /**
     * shmem_reconfigure: a new size or nr_inodes (not below what is in use,
     * and no limit where there was none), huge=, and SB_RDONLY; mode=, uid=
     * and gid= are parsed but change nothing on a remount. A tmpfs not made
     * by mount(2) (/dev/shm at boot) changes only SB_RDONLY.
     */
    reconfigure(fs, request) {
      const p = parseTmpfsParameters(request.parameters, totalPages());
      if (typeof p === 'number') return p;
      if (request.readOnly && !fs.readOnly) {
        const busy = request.prepareReadOnly?.() ?? 0;
        if (busy < 0) return busy;
      }
      if (!(fs instanceof TmpfsInstance)) {
        if (fs instanceof RamFs) fs.readOnly = request.readOnly;
        return 0;
      }
      const s = fs.settings;
      if (p.blocks !== undefined) {
        if (p.blocks > (1n << 63n) - 1n) return -Errno.EINVAL;
        if (s.blocks === 0n && p.blocks !== 0n) return -Errno.EINVAL; // "Cannot retroactively limit size"
        if (BigInt(fs.quota.heldFrames) > p.blocks && p.blocks !== 0n) return -Errno.EINVAL; // "Too small a size for current use"
      }
      if (p.inodes !== undefined && s.inodes === 0n && p.inodes !== 0n) return -Errno.EINVAL; // "Cannot retroactively limit inodes"
      if (p.noswap === true && s.noswap !== true) return -Errno.EINVAL; // "Cannot disable swap on remount"
      if (p.blocks !== undefined) {
        fs.quota.resize(quotaFrames(p.blocks));
        s.blocks = p.blocks;
      }
      if (p.inodes !== undefined) s.inodes = p.inodes;
      if (p.huge !== undefined) s.huge = p.huge;
      if (p.inode64 !== undefined) s.inode64 = p.inode64;
      fs.readOnly = request.readOnly;
      return 0;
    },
    /** shmem_show_options: each setting that differs from its default, in Linux's order. */
    showOptions(fs: FileSystem) {
      if (!(fs instanceof TmpfsInstance)) return '';
      const s = fs.settings;
      let out = '';
      if (s.blocks !== defaultBlocks()) out += `,size=${s.blocks * 4n}k`;
      if (s.inodes !== defaultBlocks()) out += `,nr_inodes=${s.inodes}`;
      if (s.mode !== (0o777 | S.S_ISVTX)) out += `,mode=${s.mode.toString(8).padStart(3, '0')}`;
      if (s.uid !== 0) out += `,uid=${s.uid}`;
      if (s.gid !== 0) out += `,gid=${s.gid}`;
      if (s.inode64 === true) out += ',inode64';
      if (s.huge !== undefined && s.huge !== 'never') out += `,huge=${s.huge}`;
      if (s.noswap === true) out += ',noswap';
      return out;
    },
  };
}
