import { Errno, PAGE_SIZE, S } from '@tskern/abi';
import { TRANSLATE_SIGBUS } from '@tskern/mm-api';
import { isFrame, PG } from '@tskern/pagealloc';
import { RecordingSpace } from '@tskern/test-kit';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fixtureImage } from './testing/fixture';
import { fsck, haveE2fsprogs } from './testing/host-tools';
import { mountImage, readAll, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const ADDR = 0x10000;

describe('the page cache under mappings (the committed 1 KiB-block ext4 image)', () => {
  it('msync04: a page written is dirty until write-back, a store through a shared mapping makes it dirty again', () => {
    const { fs, device } = mountImage(fixtureImage());
    const file = fs.create!(fs.root(), 'testfile', FILE) as ExtInode;
    expect(file.write(0, new Uint8Array(Buffer.from('AAAAAAAAAA')), 0, 10)).toBe(10);
    const space = new RecordingSpace(file, fs.frames);
    file.addMapping(space, ADDR, ADDR + PAGE_SIZE, 0, true);
    const frame = space.fault(ADDR, 0, true);
    expect(isFrame(frame)).toBe(true);
    if (!isFrame(frame)) return;
    fs.frames.memory(frame)[fs.frames.offset(frame) + 8] = 'B'.charCodeAt(0);
    expect(fs.frames.pageFlags(frame) & PG.DIRTY).toBe(PG.DIRTY);
    expect(file.writeback(0, PAGE_SIZE)).toBe(0);
    expect(fs.frames.pageFlags(frame) & (PG.DIRTY | PG.UPTODATE | PG.LRU)).toBe(PG.UPTODATE | PG.LRU);
    // What msync wrote is on the device: a fresh mount reads it.
    const again = mountImage(device.image.slice(), 'ext4', true).fs;
    expect(Buffer.from(readAll(walk(again, 'testfile'))).toString()).toBe('AAAAAAAABA');
    // A store fault dirties it again.
    space.fault(ADDR, 0, true);
    expect(fs.frames.pageFlags(frame) & PG.DIRTY).toBe(PG.DIRTY);
    expect(file.fsync()).toBe(0);
    expect(fs.frames.pageFlags(frame) & PG.DIRTY).toBe(0);
    space.unmapAll();
  });

  it('mmap16: truncate up unmaps the old EOF page, and the next store on a full file system is SIGBUS (ext4_page_mkwrite)', () => {
    const { fs, device } = mountImage(fixtureImage());
    const child = fs.create!(fs.root(), 'testfilec', FILE) as ExtInode;
    const block = new Uint8Array(1024).fill(0x61);
    expect(child.write(0, block, 0, 1024)).toBe(1024);
    const space = new RecordingSpace(child, fs.frames);
    child.addMapping(space, ADDR, ADDR + 2 * PAGE_SIZE, 0, true);
    expect(isFrame(space.fault(ADDR, 0, true))).toBe(true);
    expect(child.setattr({ size: 2 * PAGE_SIZE })).toBe(0);
    // pagecache_isize_extended: the page holding the old EOF is unmapped (not private copies).
    expect(space.calls).toContainEqual(expect.objectContaining({ start: ADDR, end: ADDR + PAGE_SIZE, invalidatePrivate: false }));
    expect(space.ptes.has(ADDR)).toBe(false);
    const parent = fs.create!(fs.root(), 'testfilep', FILE) as ExtInode;
    let writes = 0;
    for (;;) {
      const n = parent.write(writes * 1024, block, 0, 1024);
      if (n < 0) {
        expect(n).toBe(-Errno.ENOSPC);
        break;
      }
      writes++;
    }
    expect(writes).toBeGreaterThan(100);
    expect(fs.statfs().availableBlocks).toBe(0); // what is left is s_resv_clusters, which write(2) may not take
    // The store at offset 1024 needs the page's unallocated blocks below EOF: none are left.
    expect(space.fault(ADDR, 0, true)).toBe(TRANSLATE_SIGBUS);
    // A load still maps it.
    expect(isFrame(space.fault(ADDR, 0, false))).toBe(true);
    space.unmapAll();
    expect(fs.unlink!(fs.root(), 'testfilep')).toBe(0);
    // With room again the store fault allocates and succeeds.
    expect(isFrame(space.fault(ADDR, 0, true))).toBe(true);
    space.unmapAll();
    child.removeMapping(space, ADDR, ADDR + 2 * PAGE_SIZE, 0, true);
    fs.shutdown();
    if (haveE2fsprogs) expect(fsck(device.image).status).toBe(0);
  });

  it('write-back never writes past i_size, and zeroes the EOF page tail a mapping stored to', () => {
    const { fs, device } = mountImage(fixtureImage());
    const file = fs.create!(fs.root(), 'tail', FILE) as ExtInode;
    expect(file.write(0, new Uint8Array(100).fill(1), 0, 100)).toBe(100);
    const space = new RecordingSpace(file, fs.frames);
    file.addMapping(space, ADDR, ADDR + PAGE_SIZE, 0, true);
    const frame = space.fault(ADDR, 0, true);
    if (!isFrame(frame)) throw new Error('fault');
    fs.frames.memory(frame).fill(9, fs.frames.offset(frame) + 100, fs.frames.offset(frame) + 1024); // past EOF
    expect(file.fsync()).toBe(0);
    space.unmapAll();
    file.removeMapping(space, ADDR, ADDR + PAGE_SIZE, 0, true);
    expect(file.setattr({ size: 1024 })).toBe(0);
    expect(readAll(file).subarray(100).every((b) => b === 0)).toBe(true);
    fs.shutdown();
    const again = mountImage(device.image.slice(), 'ext4', true).fs;
    const bytes = readAll(walk(again, 'tail'));
    expect(bytes.subarray(0, 100).every((b) => b === 1)).toBe(true);
    expect(bytes.subarray(100).every((b) => b === 0)).toBe(true);
  });
});
