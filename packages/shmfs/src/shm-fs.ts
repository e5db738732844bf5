import { S, SHM_DIR } from '@tskern/abi';
import type { FrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import type { Vfs } from '@tskern/vfs';

/**
 * @deprecated Use `SHM_DIR` from `@tskern/abi`, where it is defined once;
 * this re-export goes in the next minor release.
 */
export { SHM_DIR };

/** Options of a shm file system. */
export interface ShmFsOptions {
  readonly frames: FrameAllocator;
  /** st_dev; a fresh anonymous device by default. */
  readonly deviceId?: number;
}

/**
 * A tmpfs instance for /dev/shm: a RamFs of type "tmpfs" whose root is
 * mode 01777 owned by root (world-writable and sticky, as systemd mounts
 * /dev/shm), so any user may create segments and only their owners may
 * remove them.
 *
 * POSIX shared memory needs nothing else from the kernel: shm_open(3) and
 * shm_unlink(3) are C-library functions that check the name (leading slashes
 * stripped; empty, longer than NAME_MAX or holding another `/` is EINVAL, or
 * ENOENT for shm_unlink) and then open(2)/unlink(2) `/dev/shm/NAME` with
 * O_NOFOLLOW|O_CLOEXEC added. Those rules live in the scenario runner's glibc
 * emulation; here is only a correct tmpfs.
 */
export function createShmFs(options: ShmFsOptions): RamFs {
  return new RamFs({
    frames: options.frames,
    type: 'tmpfs',
    deviceId: options.deviceId,
    rootMode: S.S_IFDIR | S.S_ISVTX | S.S_IRWXU | S.S_IRWXG | S.S_IRWXO,
    rootUid: 0,
    rootGid: 0,
  });
}

/**
 * Mount `shm` on /dev/shm (or `path`) of `vfs`, making the directories on
 * the way as root (mode 0755) when they are missing. Returns 0 or -errno.
 */
export function mountShm(vfs: Vfs, shm: RamFs, path: string = SHM_DIR): number {
  return vfs.mountCreating(path, shm, 0o755);
}
