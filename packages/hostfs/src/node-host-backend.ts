import * as fs from 'node:fs';
import { O } from '@tskern/abi';
import type { HostBackend, HostStat, HostStatfs } from './host-backend';
import { latin1Bytes, type BeneathResolver } from './node-beneath-resolver';
import { LstatWalkResolver } from './node-lstat-walk-resolver';
import { nodeErrno } from './node-errno';
import { ProcFdResolver } from './node-proc-fd-resolver';

/** Linux open flags -> the host's (fs.constants differ between platforms). */
function hostOpenFlags(flags: number): number {
  const c = fs.constants;
  const acc = flags & O.O_ACCMODE;
  let out = acc === O.O_WRONLY ? c.O_WRONLY : acc === O.O_RDWR ? c.O_RDWR : c.O_RDONLY;
  if ((flags & O.O_CREAT) !== 0) out |= c.O_CREAT;
  if ((flags & O.O_EXCL) !== 0) out |= c.O_EXCL;
  if ((flags & O.O_TRUNC) !== 0) out |= c.O_TRUNC;
  out |= c.O_NOFOLLOW ?? 0; // never follow a final symlink (absent on Windows)
  // A fifo or device swapped in under a file's name by another host process
  // must not block the whole kernel in open(2); regular files ignore it.
  out |= c.O_NONBLOCK ?? 0;
  return out;
}

function toHostStat(s: fs.BigIntStats): HostStat {
  return {
    id: `${s.dev}:${s.ino}`,
    ino: Number(s.ino),
    mode: Number(s.mode),
    nlink: Number(s.nlink),
    uid: Number(s.uid),
    gid: Number(s.gid),
    size: Number(s.size),
    blocks: Number(s.blocks),
    atimeMs: Number(s.atimeMs),
    mtimeMs: Number(s.mtimeMs),
    ctimeMs: Number(s.ctimeMs),
  };
}

function toHostStatfs(s: fs.BigIntStatsFs): HostStatfs {
  // Counts past 2^53 cannot be exact numbers; they are clamped (a file system
  // of 2^53 blocks is beyond any host today).
  const n = (v: bigint) => Number(v > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : v);
  return {
    blockSize: n(s.bsize),
    blocks: n(s.blocks),
    freeBlocks: n(s.bfree),
    availableBlocks: n(s.bavail),
    files: n(s.files),
    freeFiles: n(s.ffree),
    hostMagic: Number(s.type),
  };
}

/** Run a node:fs call, turning a thrown error into `-errno`. */
function call<T>(fn: () => T): T | number {
  try {
    return fn();
  } catch (e) {
    return nodeErrno(e);
  }
}

/** Run a node:fs call that returns nothing: 0 or `-errno`. */
function run(fn: () => void): number {
  return call(() => {
    fn();
    return 0;
  });
}

/** The resolver this host supports: /proc/self/fd on Linux, else the lstat walk. */
export function beneathResolver(root: string): BeneathResolver {
  return process.platform === 'linux' && fs.existsSync('/proc/self/fd') ? new ProcFdResolver(root) : new LstatWalkResolver(root);
}

/**
 * A HostBackend over `node:fs` below the host directory `root`, contained
 * in it: every path is resolved component by component from the root
 * without following any host symlink (see `BeneathResolver`; on Linux each
 * step is an openat through /proc/self/fd, so not even a concurrent host
 * process can redirect it), `..` is refused, and calls that would follow a
 * final symlink (chmod, readdir, truncate) are made on the walked file
 * itself. Host symlinks appear to hostfs as symlinks whose target the VFS
 * resolves inside the guest's tree. Names with any bytes round-trip
 * exactly; handles are Node file descriptors. Node's error codes become
 * Linux errno values (anything unknown is EIO).
 *
 * The backend holds an fd of the root (on Linux) from its first call:
 * `dispose()` closes it.
 */
export class NodeHostBackend implements HostBackend {
  private readonly paths: BeneathResolver;

  constructor(
    readonly root: string,
    resolver: (root: string) => BeneathResolver = beneathResolver,
  ) {
    this.paths = resolver(root.replace(/(.)\/+$/, '$1'));
  }

  /** Close the root handle (a later call opens it again). */
  dispose(): void {
    this.paths.dispose();
  }

  lstat(path: string): HostStat | number {
    return call(() => this.paths.entry(path, (h) => toHostStat(fs.lstatSync(h, { bigint: true }))));
  }

  readdir(path: string): string[] | number {
    return call(() =>
      this.paths.object(path, 'ENOTDIR', (h) => fs.readdirSync(h, { encoding: 'buffer' }).map((b) => b.toString('latin1'))),
    );
  }

  open(path: string, flags: number, mode: number): number {
    return call(() => this.paths.entry(path, (h) => fs.openSync(h, hostOpenFlags(flags), mode)));
  }

  close(handle: number): number {
    return run(() => fs.closeSync(handle));
  }

  fstat(handle: number): HostStat | number {
    return call(() => toHostStat(fs.fstatSync(handle, { bigint: true })));
  }

  pread(handle: number, dst: Uint8Array, dstOffset: number, length: number, position: number): number {
    return call(() => fs.readSync(handle, dst, dstOffset, length, position));
  }

  pwrite(handle: number, src: Uint8Array, srcOffset: number, length: number, position: number): number {
    return call(() => fs.writeSync(handle, src, srcOffset, length, position));
  }

  fsync(handle: number, datasync: boolean): number {
    return run(() => (datasync ? fs.fdatasyncSync(handle) : fs.fsyncSync(handle)));
  }

  ftruncate(handle: number, size: number): number {
    return run(() => fs.ftruncateSync(handle, size));
  }

  /** truncate(2) by path, made as open(O_WRONLY | O_NOFOLLOW) + ftruncate so a final symlink is never followed. */
  truncate(path: string, size: number): number {
    return run(() =>
      this.paths.entry(path, (h) => {
        const fd = fs.openSync(h, hostOpenFlags(O.O_WRONLY));
        try {
          fs.ftruncateSync(fd, size);
        } finally {
          fs.closeSync(fd);
        }
      }),
    );
  }

  mkdir(path: string, mode: number): number {
    return run(() => this.paths.entry(path, (h) => fs.mkdirSync(h, { mode })));
  }

  rmdir(path: string): number {
    return run(() => this.paths.entry(path, (h) => fs.rmdirSync(h)));
  }

  unlink(path: string): number {
    return run(() => this.paths.entry(path, (h) => fs.unlinkSync(h)));
  }

  rename(from: string, to: string): number {
    return run(() => this.paths.entry(from, (a) => this.paths.entry(to, (b) => fs.renameSync(a, b))));
  }

  symlink(target: string, path: string): number {
    return run(() => this.paths.entry(path, (h) => fs.symlinkSync(latin1Bytes(target), h)));
  }

  readlink(path: string): string | number {
    return call(() => this.paths.entry(path, (h) => fs.readlinkSync(h, { encoding: 'buffer' }).toString('latin1')));
  }

  /** chmod of the file itself; a symlink is EOPNOTSUPP (Linux's fchmodat(AT_SYMLINK_NOFOLLOW) answer). */
  chmod(path: string, mode: number): number {
    return run(() => this.paths.object(path, 'EOPNOTSUPP', (h) => fs.chmodSync(h, mode)));
  }

  chown(path: string, uid: number, gid: number): number {
    return run(() => this.paths.entry(path, (h) => fs.lchownSync(h, uid, gid)));
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): number {
    return run(() => this.paths.entry(path, (h) => fs.lutimesSync(h, atimeMs / 1000, mtimeMs / 1000)));
  }

  /** statfs(2) of the root's file system (Node's statfsSync; its counts stay exact as bigints until here). */
  statfs(): HostStatfs | number {
    return call(() => this.paths.object('', 'ENOTDIR', (h) => toHostStatfs(fs.statfsSync(h, { bigint: true }))));
  }
}
