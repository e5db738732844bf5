import * as fs from 'node:fs';

/**
 * O_PATH on Linux (asm-generic/fcntl.h; the same on x86, arm and riscv):
 * an fd that names a file without opening it for I/O, so walking a
 * directory needs only search permission, as path resolution does. Node's
 * `fs.constants` does not list it; libuv passes the flags to open(2) as they are.
 */
const O_PATH = 0o10000000;

/** A node-style error carrying a Linux errno name, mapped by `nodeErrno`. */
function errnoError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/**
 * The components of a backend path (`''` for the root, `'/a/b'` below it):
 * each a real name. An empty, `.` or NUL-holding component is EINVAL; `..`
 * is EXDEV, as openat2(RESOLVE_BENEATH) answers a path that would climb out.
 */
export function pathComponents(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw errnoError('EINVAL');
  const names = path.slice(1).split('/');
  for (const name of names) {
    if (name === '..') throw errnoError('EXDEV');
    if (name === '' || name === '.' || name.includes('\0')) throw errnoError('EINVAL');
  }
  return names;
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

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

/**
 * The Linux resolver: it holds an O_PATH fd of the root and walks each
 * component with open(`/proc/self/fd/<dir>/<name>`, O_PATH | O_DIRECTORY |
 * O_NOFOLLOW), which is openat(dir, name) (the /proc magic link jumps to the
 * fd's directory, wherever it is now). No host path string is ever
 * re-resolved from the top, so renames and symlink swaps of the folder by
 * anyone else cannot redirect a walk: a component that is a symlink at the
 * moment it is opened fails (ENOTDIR), a directory removed meanwhile
 * answers ENOENT, and the root stays the directory opened first even if its
 * host path is moved or replaced.
 */
export class ProcFdResolver implements BeneathResolver {
  private rootFd = -1;

  constructor(private readonly root: string) {}

  private base(): number {
    if (this.rootFd < 0) this.rootFd = fs.openSync(this.root, O_PATH | fs.constants.O_DIRECTORY);
    return this.rootFd;
  }

  private static fdPath(fd: number, name?: string): Buffer {
    return name === undefined ? bytes(`/proc/self/fd/${fd}`) : Buffer.concat([bytes(`/proc/self/fd/${fd}/`), bytes(name)]);
  }

  /** `fn` with an O_PATH fd of the directory holding `names`' last, walked from the root. */
  private withParent<T>(names: readonly string[], fn: (dirFd: number) => T): T {
    let fd = this.base();
    const opened: number[] = [];
    try {
      for (let i = 0; i < names.length - 1; i++) {
        fd = fs.openSync(ProcFdResolver.fdPath(fd, names[i]), O_PATH | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
        opened.push(fd);
      }
      return fn(fd);
    } finally {
      for (const h of opened) fs.closeSync(h);
    }
  }

  entry<T>(path: string, fn: (host: Buffer) => T): T {
    const names = pathComponents(path);
    // The root itself: "<root fd>/." names the directory, not the magic link.
    if (names.length === 0) return fn(ProcFdResolver.fdPath(this.base(), '.'));
    return this.withParent(names, (dir) => fn(ProcFdResolver.fdPath(dir, names[names.length - 1])));
  }

  object<T>(path: string, code: string, fn: (host: Buffer) => T): T {
    const names = pathComponents(path);
    if (names.length === 0) return fn(ProcFdResolver.fdPath(this.base()));
    return this.withParent(names, (dir) => {
      const fd = fs.openSync(ProcFdResolver.fdPath(dir, names[names.length - 1]), O_PATH | fs.constants.O_NOFOLLOW);
      try {
        if (fs.fstatSync(fd).isSymbolicLink()) throw errnoError(code);
        return fn(ProcFdResolver.fdPath(fd));
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  dispose(): void {
    if (this.rootFd >= 0) fs.closeSync(this.rootFd);
    this.rootFd = -1;
  }
}

/**
 * The portable resolver, for hosts without /proc/self/fd: it walks the
 * components of the root's real path with lstat and refuses a symlink
 * anywhere (ENOTDIR for an intermediate one, `code` for a final one where
 * the call would follow it). tskern alone cannot defeat it (its calls do not
 * interleave), but another host process that swaps a directory of the folder
 * for a symlink between the check and the call can redirect that one call:
 * without openat, the check and the use are two lookups.
 */
export class LstatWalkResolver implements BeneathResolver {
  private real: Buffer | null = null;

  constructor(private readonly rootPath: string) {}

  /** The root's real path, taken once (later moves of the root's host path are not followed). */
  private get root(): Buffer {
    this.real ??= Buffer.from(fs.realpathSync(this.rootPath), 'utf8');
    return this.real;
  }

  private walk(names: readonly string[], upTo: number): Buffer {
    let host = this.root;
    for (let i = 0; i < upTo; i++) {
      host = Buffer.concat([host, bytes(`/${names[i]}`)]);
      if (!fs.lstatSync(host).isDirectory()) throw errnoError('ENOTDIR');
    }
    return host;
  }

  entry<T>(path: string, fn: (host: Buffer) => T): T {
    const names = pathComponents(path);
    if (names.length === 0) return fn(Buffer.concat([this.root, bytes('/.')]));
    return fn(Buffer.concat([this.walk(names, names.length - 1), bytes(`/${names[names.length - 1]}`)]));
  }

  object<T>(path: string, code: string, fn: (host: Buffer) => T): T {
    const names = pathComponents(path);
    const host = names.length === 0 ? this.root : Buffer.concat([this.walk(names, names.length - 1), bytes(`/${names[names.length - 1]}`)]);
    if (fs.lstatSync(host).isSymbolicLink()) throw errnoError(code);
    return fn(host);
  }

  dispose(): void {}
}

/** The resolver this host supports: /proc/self/fd on Linux, else the lstat walk. */
export function beneathResolver(root: string): BeneathResolver {
  return process.platform === 'linux' && fs.existsSync('/proc/self/fd') ? new ProcFdResolver(root) : new LstatWalkResolver(root);
}
