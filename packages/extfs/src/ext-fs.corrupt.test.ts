import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { S } from '@tskern/abi';
import type { Inode } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { ExtFs } from './ext-fs';
import type { ExtInode } from './ext-inode';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { fixtureImage } from './testing/fixture';
import { MemoryBlockDevice } from './testing/memory-block-device';
import { rootCaller } from './testing/mounted';

/** Read every name, file and link under `dir` (depth-limited); answers may be errnos, never throws. */
function walkAll(fs: ExtFs, dir: Inode, depth: number): number {
  let seen = 0;
  for (const e of fs.readdir(dir, 2, rootCaller)) {
    if (++seen > 200) break;
    const child = fs.lookup(dir, e.name, rootCaller);
    if (typeof child === 'number') continue;
    const kind = child.mode & S.S_IFMT;
    if (kind === S.S_IFREG) (child as ExtInode).read(0, new Uint8Array(64 * 1024), 0, 64 * 1024);
    else if (kind === S.S_IFLNK) fs.readlink(child, rootCaller);
    else if (kind === S.S_IFDIR && depth > 0 && child !== dir) seen += walkAll(fs, child, depth - 1);
  }
  return seen;
}

/**
 * Corrupt metadata (random bytes in the first 200 KiB of the committed
 * image: superblock, descriptors, bitmaps, inode tables, directories) must
 * give errno answers (EINVAL, EBADMSG, EIO...), never a thrown error, on
 * mount, lookup, read and a write.
 */
describe('corrupt images', () => {
  it('answer errnos and never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1024, max: 200 * 1024 - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), (edits) => {
        const image = fixtureImage();
        for (const [at, value] of edits) image[at] = value;
        const fs = ExtFs.mount(new MemoryBlockDevice(image), { frames: new ArenaFrameAllocator({ frames: 512 }) });
        if (typeof fs === 'number') {
          expect(fs).toBeLessThan(0);
          return;
        }
        walkAll(fs, fs.root(), 3);
        const f = fs.create(fs.root(), 'new', { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 });
        if (typeof f !== 'number') (f as ExtInode).write(0, new Uint8Array(5000), 0, 5000);
        fs.unlink(fs.root(), 'hello');
        fs.sync();
      }),
      { numRuns: propertyRuns(40) },
    );
  }, testTimeout(60_000));
});
