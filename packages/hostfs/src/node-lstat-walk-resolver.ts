import * as fs from 'node:fs';
import { errnoError, hostPathComponents, latin1Bytes as bytes, type BeneathResolver } from './node-beneath-resolver';

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
    const names = hostPathComponents(path);
    if (names.length === 0) return fn(Buffer.concat([this.root, bytes('/.')]));
    return fn(Buffer.concat([this.walk(names, names.length - 1), bytes(`/${names[names.length - 1]}`)]));
  }

  object<T>(path: string, code: string, fn: (host: Buffer) => T): T {
    const names = hostPathComponents(path);
    const host = names.length === 0 ? this.root : Buffer.concat([this.walk(names, names.length - 1), bytes(`/${names[names.length - 1]}`)]);
    if (fs.lstatSync(host).isSymbolicLink()) throw errnoError(code);
    return fn(host);
  }

  dispose(): void {}
}
