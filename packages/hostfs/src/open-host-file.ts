import { Errno } from '@tskern/abi';
import type { HostBackend } from './host-backend';

/**
 * Open an existing host file with `flags`. The VFS has already allowed the
 * caller (root may write a 0444 file), but the host process may lack the
 * permission bits: when the host says EACCES, grant the owner read and write
 * for the moment of the open, then put the mode back (which works when the
 * host process owns the file). A handle or `-errno`.
 */
export function openHostFile(backend: HostBackend, path: string, flags: number): number {
  const h = backend.open(path, flags, 0);
  if (h !== -Errno.EACCES) return h;
  const st = backend.lstat(path);
  if (typeof st === 'number') return h;
  const mode = st.mode & 0o7777;
  if (backend.chmod(path, mode | 0o600) < 0) return h;
  const retry = backend.open(path, flags, 0);
  backend.chmod(path, mode);
  return retry;
}
