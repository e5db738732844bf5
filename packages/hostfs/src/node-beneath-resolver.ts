
/** A node-style error carrying a Linux errno name, mapped by `nodeErrno`. */
export function errnoError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/**
 * The components of a backend path (`''` for the root, `'/a/b'` below it):
 * each a real name. An empty, `.` or NUL-holding component is EINVAL; `..`
 * is EXDEV, as openat2(RESOLVE_BENEATH) answers a path that would climb out.
 */
export function hostPathComponents(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw errnoError('EINVAL');
  const names = path.slice(1).split('/');
  for (const name of names) {
    if (name === '..') throw errnoError('EXDEV');
    if (name === '' || name === '.' || name.includes('\0')) throw errnoError('EINVAL');
  }
  return names;
}

/** A name's bytes (one character per byte, as the VFS keeps names). */
export const latin1Bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * How the Node backend names a host file below its root without ever
 * following a host symlink: what openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) gives in C. Each method hands `fn` a host path that
 * names exactly the file the walk found; errors are thrown node-style (a
 * `code`), for the backend's `call` to map.
 */
export interface BeneathResolver {
  /**
   * `fn` gets a host path of `path`'s last component inside its walked
   * parent directory; the last component itself is not resolved (the call
   * made with it must not follow it: lstat, O_NOFOLLOW, mkdir, unlink, ...).
   */
  entry<T>(path: string, fn: (host: Buffer) => T): T;
  /**
   * `fn` gets a host path that may be followed (readdir, chmod): it names the
   * file `path` as walked, which must not be a symlink (`code` is the error
   * thrown for one).
   */
  object<T>(path: string, code: string, fn: (host: Buffer) => T): T;
  /** Let go of held handles. */
  dispose(): void;
}
