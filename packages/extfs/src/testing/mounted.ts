import { Credentials, type FsCaller } from '@tskern/vfs';
import { ArenaFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { ExtFs, type ExtFlavour } from '../ext-fs';
import type { ExtInode } from '../ext-inode';
import { MemoryBlockDevice } from './memory-block-device';

/** The caller tests pass to lookup and readdir (root). */
export const rootCaller: FsCaller = { cred: Credentials.root() };

/** Mount `image` (kept in memory) as `flavour`; throws on a mount error. */
export function mountImage(
  image: Uint8Array,
  flavour: ExtFlavour = 'ext4',
  readOnly = false,
  frames: FrameAllocator = new ArenaFrameAllocator({ bytes: 64 * 1024 * 1024 }),
  noRecovery = false,
): { fs: ExtFs; device: MemoryBlockDevice } {
  const device = new MemoryBlockDevice(image);
  const fs = ExtFs.mount(device, { frames, flavour, readOnly, noRecovery });
  if (typeof fs === 'number') throw new Error(`mount: ${fs}`);
  return { fs, device };
}

/** Walk `path` ("a/b/c") from the root. */
export function walk(fs: ExtFs, path: string): ExtInode {
  let at = fs.root();
  for (const part of path.split('/').filter((p) => p !== '')) {
    const next = fs.lookup(at, part, rootCaller);
    if (typeof next === 'number') throw new Error(`lookup ${part}: ${next}`);
    at = next;
  }
  return at as ExtInode;
}

/** The whole content of a regular file. */
export function readAll(inode: ExtInode): Uint8Array {
  const out = new Uint8Array(inode.size());
  const n = inode.read(0, out, 0, out.length);
  if (n !== out.length) throw new Error(`read: ${n}`);
  return out;
}
