/**
 * Where POSIX shared memory objects live: glibc's shm_open(3) opens
 * `/dev/shm/NAME` (SHMDIR in sysdeps/unix/sysv/linux/shm-directory.h), and
 * the kernel mounts a tmpfs there. Without a trailing slash, as a mount point
 * is written (/proc/mounts); `shmObjectPath` adds the slash before a name.
 */
export const SHM_DIR = '/dev/shm';

/** The path of the shm object called `name` (no leading slash): `/dev/shm/name`. */
export function shmObjectPath(name: string): string {
  return `${SHM_DIR}/${name}`;
}

/**
 * The part of `path` after `/dev/shm/` (an object's name, maybe with more
 * path in it), or null when `path` does not lie under SHM_DIR or names the
 * directory itself (`/dev/shm`, `/dev/shm/`).
 */
export function shmObjectName(path: string): string | null {
  const prefix = shmObjectPath('');
  return path.length > prefix.length && path.startsWith(prefix) ? path.slice(prefix.length) : null;
}
