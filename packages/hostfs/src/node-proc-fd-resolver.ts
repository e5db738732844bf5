import * as fs from 'node:fs';
import { errnoError, hostPathComponents, latin1Bytes as bytes, type BeneathResolver } from './node-beneath-resolver';

/**
 * O_PATH on Linux (asm-generic/fcntl.h; the same on x86, arm and riscv):
 * an fd that names a file without opening it for I/O, so walking a
 * directory needs only search permission, as path resolution does. Node's
 * `fs.constants` does not list it; libuv passes the flags to open(2) as they are.
 */
const O_PATH = 0o10000000;

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
    const names = hostPathComponents(path);
    // The root itself: "<root fd>/." names the directory, not the magic link.
    if (names.length === 0) return fn(ProcFdResolver.fdPath(this.base(), '.'));
    return this.withParent(names, (dir) => fn(ProcFdResolver.fdPath(dir, names[names.length - 1])));
  }

  object<T>(path: string, code: string, fn: (host: Buffer) => T): T {
    const names = hostPathComponents(path);
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
