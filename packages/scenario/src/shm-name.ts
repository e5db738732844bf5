/**
 * shm_open(3) and shm_unlink(3) are C-library calls on Linux. The Linux
 * transcripts come through the GNU C library, so the runner does what glibc
 * does before the syscall (posix/shm-directory.c:__shm_get_name, shm_open.c,
 * shm_unlink.c as in glibc 2.36, the golden host's):
 *
 * - strip the name's leading slashes;
 * - empty, holding another `/`, or too long for glibc's buffer (`/dev/shm/` +
 *   name + NUL must fit in `sizeof "/dev/shm/" + 4 + NAME_MAX` = 269 bytes,
 *   so names of up to 259 bytes pass; a 256..259-byte name reaches the
 *   kernel, which answers ENAMETOOLONG itself): the name is refused;
 * - shm_open reports a refused name as EINVAL and adds O_NOFOLLOW|O_CLOEXEC;
 *   an EISDIR from open becomes EINVAL;
 * - shm_unlink reports a refused name as ENOENT; an EPERM from unlink
 *   becomes EACCES.
 *
 * (Later glibc releases report a name longer than NAME_MAX as ENAMETOOLONG
 * from shm_open; the spec and the goldens follow 2.36.)
 */
import { NAME_MAX, shmObjectPath } from '@tskern/abi';

/** glibc's SHMDIR: the shm directory with its trailing slash, `/dev/shm/`. */
const SHMDIR = shmObjectPath('');

/** sizeof (struct shmdir_name).name in glibc: sizeof SHMDIR + strlen ("sem.") + NAME_MAX. */
const SHMDIR_NAME_SIZE = SHMDIR.length + 1 + 4 + NAME_MAX;

export type ShmPath = { readonly ok: true; readonly path: Uint8Array } | { readonly ok: false; readonly why: 'empty' | 'slash' | 'too long' };

/** The path glibc opens for an shm name, or why its name check refuses the name. */
export function shmPath(name: Uint8Array): ShmPath {
  let i = 0;
  while (i < name.length && name[i] === 0x2f) i++;
  const rest = name.subarray(i);
  if (rest.length === 0) return { ok: false, why: 'empty' };
  if (rest.includes(0x2f)) return { ok: false, why: 'slash' };
  if (SHMDIR.length + rest.length + 1 > SHMDIR_NAME_SIZE) return { ok: false, why: 'too long' };
  const path = new Uint8Array(SHMDIR.length + rest.length);
  path.set(new TextEncoder().encode(SHMDIR), 0);
  path.set(rest, SHMDIR.length);
  return { ok: true, path };
}
