import { SHM, type Status } from '@tskern/abi';
import { FileMappingHandle } from '@tskern/file-mapping';
import type { Mappable, MappingIdentity } from '@tskern/mm-api';
import type { Inode } from '@tskern/vfs';

/** What a segment needs of its namespace: the clock, and its removal once destroyed. */
export interface SysvShmHost {
  /** CLOCK_REALTIME in seconds (ktime_get_real_seconds). */
  nowSeconds(): number;
  /** The segment is gone: take it out of the id table and the totals. */
  destroyed(segment: SysvShmSegment): void;
}

/** How a segment is made (newseg's inputs). */
export interface SysvShmSegmentInit {
  readonly id: number;
  readonly key: number;
  readonly size: number;
  /** Permission bits (the low 9 of shmflg). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
  readonly file: Inode;
  readonly mappable: Mappable;
}

/**
 * One System V shared memory segment (ipc/shm.c's `struct shmid_kernel`):
 * the ipc_perm fields, the times and pids, and the unlinked shm file named
 * `SYSV%08x` (the key at creation) that holds its pages.
 *
 * The segment is also the identity its attaches map (Linux wraps the shm file
 * in its own file with shm_vm_ops): every VMA holds a reference, so a fork's
 * copy and a split count as attaches as in shm_open, and the last reference
 * of a segment marked SHM_DEST destroys it as shm_close/shm_destroy do.
 * `shm_nattch` is that reference count.
 */
export class SysvShmSegment implements MappingIdentity {
  readonly id: number;
  /** The key; IPC_PRIVATE (0) once IPC_RMID marked it for destruction. */
  key: number;
  readonly size: number;
  /** Permission bits plus SHM_DEST and SHM_LOCKED. */
  mode: number;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  readonly cpid: number;
  lpid = 0;
  atime = 0;
  dtime = 0;
  ctime: number;
  readonly file: Inode;
  readonly mappable: Mappable;
  private readonly handle: FileMappingHandle;
  private attaches = 0;
  private alive = true;

  constructor(
    init: SysvShmSegmentInit,
    private readonly host: SysvShmHost,
  ) {
    this.id = init.id;
    this.key = init.key;
    this.size = init.size;
    this.mode = init.mode & 0o777;
    this.uid = this.cuid = init.uid;
    this.gid = this.cgid = init.gid;
    this.cpid = init.pid;
    this.ctime = host.nowSeconds();
    this.file = init.file;
    this.mappable = init.mappable;
    // shmem_kernel_file_setup's name; maps prints it as a deleted file.
    this.handle = FileMappingHandle.anonymous(init.file, `/SYSV${(init.key >>> 0).toString(16).padStart(8, '0')}`);
    this.handle.incRef(); // the id table's reference: the pages live until shm_destroy
  }

  /** shm_nattch: the VMAs mapping the segment. */
  get nattch(): number {
    return this.attaches;
  }

  /** Whether the segment still exists (not destroyed). */
  get live(): boolean {
    return this.alive;
  }

  /** Pages resident (shm_rss): the file's blocks in pages. */
  residentPages(): number {
    return Math.floor(this.file.blocks() / 8);
  }

  /** IPC_RMID: destroy now if nothing is attached, else mark SHM_DEST and hide the key (do_shm_rmid). */
  markDestroyed(): void {
    if (this.attaches === 0) {
      this.destroy();
      return;
    }
    this.mode |= SHM.SHM_DEST;
    this.key = 0;
  }

  /** shm_destroy: drop the id table's reference; the file goes with the last mapping (none here). */
  destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    this.host.destroyed(this);
    this.handle.decRef();
  }

  // MappingIdentity: shm_open on every new VMA, shm_close when one goes.
  incRef(): void {
    this.attaches++;
    this.atime = this.host.nowSeconds();
    this.handle.incRef();
  }

  decRef(): void {
    this.attaches--;
    this.dtime = this.host.nowSeconds();
    this.handle.decRef();
    // shm_may_destroy: the last detach of a segment IPC_RMID marked.
    if (this.attaches === 0 && (this.mode & SHM.SHM_DEST) !== 0) this.destroy();
  }

  mappedName(): string {
    return this.handle.mappedName();
  }

  deviceId(): number {
    return this.handle.deviceId();
  }

  /** newseg sets the shm file's i_ino to the id, which is what maps shows. */
  inodeId(): number {
    return this.id;
  }

  sync(offset: number, length: number): Status {
    return this.handle.sync(offset, length);
  }
}
