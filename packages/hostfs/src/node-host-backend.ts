import * as fs from 'node:fs';
import { O } from '@tskern/abi';
import type { HostBackend, HostStat } from './host-backend';
import { nodeErrno } from './node-errno';

/** Linux open flags -> the host's (fs.constants differ between platforms). */
function hostOpenFlags(flags: number): number {
  const c = fs.constants;
  const acc = flags & O.O_ACCMODE;
  let out = acc === O.O_WRONLY ? c.O_WRONLY : acc === O.O_RDWR ? c.O_RDWR : c.O_RDONLY;
  if ((flags & O.O_CREAT) !== 0) out |= c.O_CREAT;
  if ((flags & O.O_EXCL) !== 0) out |= c.O_EXCL;
  if ((flags & O.O_TRUNC) !== 0) out |= c.O_TRUNC;
  out |= c.O_NOFOLLOW ?? 0; // never follow a final symlink (absent on Windows)
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

/**
 * A HostBackend over `node:fs` below the host directory `root`. Paths are
 * handed to Node as Buffers, so names with any bytes round-trip exactly;
 * handles are Node file descriptors. Node's error codes become Linux errno
 * values (anything unknown is EIO).
 */
export class NodeHostBackend implements HostBackend {
  private readonly rootBytes: Buffer;

  constructor(readonly root: string) {
    this.rootBytes = Buffer.from(root.replace(/\/+$/, ''), 'utf8');
  }

  /** The host path of a backend path (root + the path's bytes). */
  hostPath(path: string): Buffer {
    return Buffer.concat([this.rootBytes, Buffer.from(path, 'latin1')]);
  }

  lstat(path: string): HostStat | number {
    return call(() => toHostStat(fs.lstatSync(this.hostPath(path), { bigint: true })));
  }

  readdir(path: string): string[] | number {
    return call(() => fs.readdirSync(this.hostPath(path), { encoding: 'buffer' }).map((b) => b.toString('latin1')));
  }

  open(path: string, flags: number, mode: number): number {
    return call(() => fs.openSync(this.hostPath(path), hostOpenFlags(flags), mode));
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

  truncate(path: string, size: number): number {
    return run(() => fs.truncateSync(this.hostPath(path), size));
  }

  mkdir(path: string, mode: number): number {
    return run(() => fs.mkdirSync(this.hostPath(path), { mode }));
  }

  rmdir(path: string): number {
    return run(() => fs.rmdirSync(this.hostPath(path)));
  }

  unlink(path: string): number {
    return run(() => fs.unlinkSync(this.hostPath(path)));
  }

  rename(from: string, to: string): number {
    return run(() => fs.renameSync(this.hostPath(from), this.hostPath(to)));
  }

  symlink(target: string, path: string): number {
    return run(() => fs.symlinkSync(Buffer.from(target, 'latin1'), this.hostPath(path)));
  }

  readlink(path: string): string | number {
    return call(() => fs.readlinkSync(this.hostPath(path), { encoding: 'buffer' }).toString('latin1'));
  }

  chmod(path: string, mode: number): number {
    return run(() => fs.chmodSync(this.hostPath(path), mode));
  }

  chown(path: string, uid: number, gid: number): number {
    return run(() => fs.lchownSync(this.hostPath(path), uid, gid));
  }
}
