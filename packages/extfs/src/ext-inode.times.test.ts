import { S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { ExtFs } from './ext-fs';
import { fixtureImage } from './testing/fixture';
import { MemoryBlockDevice } from './testing/memory-block-device';

describe('times', () => {
  it('keep nanoseconds on disk, follow relatime for reads, and survive a remount', () => {
    const start = 1_700_000_000_123 + 0.456789; // a time with nanoseconds below the millisecond
    let now = start;
    const device = new MemoryBlockDevice(fixtureImage());
    const frames = new ArenaFrameAllocator({ frames: 256 });
    const fs = ExtFs.mount(device, { frames, clock: () => now }) as ExtFs;
    const f = fs.create(fs.root(), 't', { mode: S.S_IFREG | 0o644, uid: 70000, gid: 80000 }) as ExtInode;
    expect(f.mtime).toBeCloseTo(start, 6);
    now += 1000;
    f.accessed(); // atime == mtime: relatime updates it
    expect(f.atime).toBeCloseTo(now, 6);
    const seen = f.atime;
    now += 1000;
    f.accessed(); // newer than mtime and ctime, less than a day old: kept
    expect(f.atime).toBe(seen);
    now += 24 * 3600 * 1000;
    f.accessed();
    expect(f.atime).toBeCloseTo(now, 6);
    fs.shutdown();
    const again = ExtFs.mount(device, { frames }) as ExtFs;
    const t = again.lookup(again.root(), 't') as ExtInode;
    expect(t.atime).toBeCloseTo(now, 6);
    expect(t.mtime).toBeCloseTo(start, 6);
    expect([t.uid, t.gid]).toEqual([70000, 80000]); // the high 16 bits in osd2
  });
});
