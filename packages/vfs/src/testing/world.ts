import { O } from '@tskern/abi';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '../index';
import { MemFs } from './mem-fs';

/** A Vfs over MemFs with a world-writable /tmp and tasks for root and an ordinary user (uid 1000). */
export function world() {
  const fs = new MemFs({ rootMode: 0o755 });
  const vfs = new Vfs(fs);
  const root: FsTask = { fs: vfs.newFsContext(0o022), cred: Credentials.root() };
  expectOk(vfs.mkdir(root, '/tmp', 0o777));
  expectOk(vfs.chmod(root, '/tmp', 0o1777));
  const user: FsTask = { fs: vfs.newFsContext(0o022), cred: new Credentials(1000, 1000) };
  expectOk(vfs.chdir(user, '/tmp'));
  return { fs, vfs, root, user };
}

export function expectOk(r: number): void {
  if (r !== 0) throw new Error(`expected 0, got ${r}`);
}

/** Open or throw. */
export function openOk(vfs: Vfs, task: FsTask, path: string, flags: number = O.O_RDONLY, mode = 0o666): OpenFileDescription {
  const f = vfs.open(task, path, flags, mode);
  if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
  return f;
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);
