import { CAP, Errno, IPC, PAGE_SIZE, S, SHM } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { RamFs } from '@tskern/ramfs';
import { capable, type Credentials } from '@tskern/vfs';
import { createShmFs } from './shm-fs';
import { SysvShmSegment, type SysvShmHost } from './sysv-shm-segment';

/** ULONG_MAX - 2^24: SHMMAX and SHMALL's defaults (include/uapi/linux/shm.h), "as large as possible without overflow". */
export const SHMMAX_DEFAULT = (1n << 64n) - 1n - (1n << 24n);
/** Smallest segment (SHMMIN). */
export const SHMMIN = 1;
/** Most segments (SHMMNI = IPCMNI's default 4096); also SHMSEG, the per-process limit Linux reports but does not enforce. */
export const SHMMNI_DEFAULT = 4096;
/** ipc ids are `seq * IPCMNI + index` (IPCMNI_SHIFT 15 without ipcmni_extend). */
const IPCMNI = 32768;
/** IPCID_SEQ_MAX: the sequence wraps past it. */
const SEQ_MAX = 65535;

/** Who makes a shmget or shmctl call. */
export interface IpcCaller {
  readonly cred: Credentials;
  /** The caller's process id (cpid, lpid). */
  readonly pid: number;
}

/** Options of an IPC namespace. */
export interface SysvShmNamespaceOptions {
  readonly frames: FrameAllocator;
  /** CLOCK_REALTIME in seconds. */
  readonly nowSeconds: () => number;
  /** st_dev of the internal shm mount (Linux's shm_mnt: `00:01`). */
  readonly deviceId?: number;
}

/**
 * The System V shared memory half of an IPC namespace (ipc/shm.c with
 * ipc/util.c's id table): segments by id and key, the shm_ctlmax/ctlall/ctlmni
 * limits and the page total. tskern has one namespace per kernel. Segments'
 * pages are unlinked files on an internal tmpfs mount, as newseg's
 * shmem_kernel_file_setup.
 */
export class SysvShmNamespace implements SysvShmHost {
  shmCtlMax = SHMMAX_DEFAULT;
  shmCtlAll = SHMMAX_DEFAULT;
  shmCtlMni = SHMMNI_DEFAULT;
  /** shm_tot: pages of every segment. */
  totalPages = 0;
  private readonly byIndex = new Map<number, SysvShmSegment>();
  private readonly byKey = new Map<number, SysvShmSegment>();
  private readonly fs: RamFs;
  private seq = 0;
  private lastIndex = -1;

  constructor(private readonly options: SysvShmNamespaceOptions) {
    this.fs = createShmFs({ frames: options.frames, deviceId: options.deviceId ?? 1 });
  }

  nowSeconds(): number {
    return this.options.nowSeconds();
  }

  destroyed(segment: SysvShmSegment): void {
    this.byIndex.delete(segment.id % IPCMNI);
    if (this.byKey.get(segment.key) === segment) this.byKey.delete(segment.key);
    this.totalPages -= Math.ceil(segment.size / PAGE_SIZE);
  }

  /**
   * shmget(2) as ipcget: IPC_PRIVATE always makes a segment; a key finds its
   * segment (EEXIST with IPC_CREAT|IPC_EXCL, EINVAL if smaller than `size`,
   * then EACCES by the mode bits asked for) or, with IPC_CREAT, makes one
   * (ENOENT without). Returns the id or -errno.
   */
  get(key: number, size: number, flags: number, caller: IpcCaller): number {
    key |= 0;
    if (key !== IPC.IPC_PRIVATE) {
      const found = this.byKey.get(key);
      if (found === undefined) {
        if ((flags & IPC.IPC_CREAT) === 0) return -Errno.ENOENT;
      } else {
        if ((flags & IPC.IPC_CREAT) !== 0 && (flags & IPC.IPC_EXCL) !== 0) return -Errno.EEXIST;
        if (found.size < size) return -Errno.EINVAL; // shm_more_checks, before the permission check
        if (!this.permits(found, caller.cred, flags & 0o777)) return -Errno.EACCES;
        return found.id;
      }
    }
    return this.newSegment(key, size, flags, caller);
  }

  /** newseg: the size and total checks, the file, then an id (ENOSPC past shm_ctlmni). */
  private newSegment(key: number, size: number, flags: number, caller: IpcCaller): number {
    if (size < SHMMIN || BigInt(size) > this.shmCtlMax) return -Errno.EINVAL;
    const pages = Math.ceil(size / PAGE_SIZE);
    if (BigInt(this.totalPages + pages) > this.shmCtlAll) return -Errno.ENOSPC;
    // hugetlb_file_setup: no huge pages are reserved (vm.nr_hugepages = 0), as on the host.
    if ((flags & SHM.SHM_HUGETLB) !== 0) return -Errno.ENOMEM;
    // shmem_acct_size: the heuristic overcommit refuses more pages than RAM holds.
    if (pages > this.options.frames.stats().totalFrames) return -Errno.ENOMEM;
    if (this.byIndex.size >= this.shmCtlMni) return -Errno.ENOSPC;
    const index = this.freeIndex();
    if (index < 0) return -Errno.ENOSPC;
    // shmem_kernel_file_setup: an unlinked S_IFREG|S_IRWXUGO file owned by root.
    const root = this.fs.root();
    const file = this.fs.tmpfile(root, { mode: S.S_IFREG | S.S_IRWXU | S.S_IRWXG | S.S_IRWXO, uid: 0, gid: 0 });
    if (typeof file === 'number') return file;
    const err = file.setattr({ size });
    if (err < 0) return err;
    const mappable = file.mappable?.() ?? null;
    invariant(mappable !== null, 'tmpfs files are mappable');
    const id = this.seq * IPCMNI + index;
    const cred = caller.cred;
    const segment = new SysvShmSegment(
      { id, key, size, mode: flags, uid: cred.euid, gid: cred.egid, pid: caller.pid, file, mappable },
      this,
    );
    this.byIndex.set(index, segment);
    if (key !== IPC.IPC_PRIVATE) this.byKey.set(key, segment);
    this.totalPages += pages;
    return id;
  }

  /** ipc_idr_alloc: the next free index after the last one given, cyclically; the sequence moves on when it wraps. */
  private freeIndex(): number {
    const max = Math.min(this.shmCtlMni, IPCMNI);
    for (let i = 1; i <= max; i++) {
      const index = (this.lastIndex + i) % max;
      if (this.byIndex.has(index)) continue;
      if (index <= this.lastIndex && ++this.seq > SEQ_MAX) this.seq = 0;
      this.lastIndex = index;
      return index;
    }
    return -1;
  }

  /** The segment with id `id` (shm_obtain_object_check), or undefined (EINVAL). */
  lookup(id: number): SysvShmSegment | undefined {
    if (!Number.isInteger(id) || id < 0) return undefined;
    const s = this.byIndex.get(id % IPCMNI);
    return s !== undefined && s.id === id ? s : undefined;
  }

  /** The segment at table index `index` (SHM_STAT, /proc/sysvipc/shm order). */
  atIndex(index: number): SysvShmSegment | undefined {
    return this.byIndex.get(index);
  }

  /** Every segment, by index. */
  segments(): SysvShmSegment[] {
    return [...this.byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  }

  /** ipc_get_maxidx: the highest index in use, -1 for none. */
  maxIndex(): number {
    let max = -1;
    for (const i of this.byIndex.keys()) if (i > max) max = i;
    return max;
  }

  /**
   * ipcperms: the owner's, group's or others' bits by the caller's euid and
   * groups against `requested` (S_IRUGO/S_IWUGO style bits, or shmget's mode bits, folded to one class); CAP_IPC_OWNER
   * overrides.
   */
  permits(segment: SysvShmSegment, cred: Credentials, requested: number): boolean {
    let granted = segment.mode;
    if (cred.euid === segment.cuid || cred.euid === segment.uid) granted >>= 6;
    else if (cred.inGroup(segment.cgid) || cred.inGroup(segment.gid)) granted >>= 3;
    const wanted = (requested >> 6) | (requested >> 3) | requested;
    return (wanted & ~granted & 0o7) === 0 || capable(cred, CAP.CAP_IPC_OWNER);
  }

  /** ipcctl_obtain_check: IPC_SET and IPC_RMID need the owner, the creator or CAP_SYS_ADMIN (EPERM). */
  mayChange(segment: SysvShmSegment, cred: Credentials): boolean {
    return cred.euid === segment.cuid || cred.euid === segment.uid || capable(cred, CAP.CAP_SYS_ADMIN);
  }

  /** IPC_SET: owner, group and the permission bits (ipc_update_perm), and shm_ctime. */
  set(segment: SysvShmSegment, uid: number, gid: number, mode: number): void {
    segment.uid = uid;
    segment.gid = gid;
    segment.mode = (segment.mode & ~0o777) | (mode & 0o777);
    segment.ctime = this.nowSeconds();
  }

  /** IPC_RMID (do_shm_rmid): the key is freed at once, the segment when its last attach goes. */
  remove(segment: SysvShmSegment): void {
    if (this.byKey.get(segment.key) === segment) this.byKey.delete(segment.key);
    segment.markDestroyed();
  }
}
