import { InvariantError } from '@tskern/assert';
import {
  ArenaFrameAllocator,
  assertNoFramesInUse,
  FaultyFrameAllocator,
  isFrame,
  PAGE_SIZE,
  PG,
  type FrameId,
  type NoFrame,
} from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { ENOSPC } from './errno';
import { PagedBuffer } from './paged-buffer';

const P = PAGE_SIZE;

/** A page the test expects to be resident. */
function must(frame: FrameId | NoFrame): FrameId {
  if (!isFrame(frame)) throw new Error('test: expected a resident page');
  return frame;
}

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed) % 255) + 1);
}

function readAll(b: PagedBuffer, offset = 0, length = Number(b.size) - offset): Uint8Array {
  const out = new Uint8Array(length);
  expect(b.read(offset, out, 0, length)).toBe(Math.max(0, Math.min(length, Number(b.size) - offset)));
  return out;
}

function residentList(b: PagedBuffer): number[] {
  const out: number[] = [];
  b.forEachResident((page) => out.push(page));
  return out;
}

describe('PagedBuffer reads and writes', () => {
  it('starts empty', () => {
    const b = new PagedBuffer(new ArenaFrameAllocator({ frames: 16 }));
    expect([b.size, b.pageCount, b.residentPages()]).toEqual([0, 0, 0]);
    expect(b.read(0, new Uint8Array(4), 0, 4)).toBe(0);
    expect(b.frameAt(0)).toBe(-1);
    b.checkInvariants();
  });

  it('writes across pages and reads back, allocating only touched pages', () => {
    const alloc = new ArenaFrameAllocator({ frames: 16 });
    const b = new PagedBuffer(alloc);
    const data = bytes(2 * P + 100);
    expect(b.write(P - 50, data, 0, data.length)).toBe(data.length);
    expect(b.size).toBe(P - 50 + data.length);
    expect(b.pageCount).toBe(4);
    expect(b.residentPages()).toBe(4);
    expect(readAll(b, P - 50)).toEqual(data);
    // The bytes before the write read as zero.
    expect(readAll(b, 0, P - 50).every((x) => x === 0)).toBe(true);
    expect(alloc.stats().usedFrames).toBe(4);
    b.checkInvariants();
  });

  it('leaves holes for pages skipped by a write past the end', () => {
    const alloc = new ArenaFrameAllocator({ frames: 16 });
    const b = new PagedBuffer(alloc);
    b.write(10 * P + 5, bytes(10), 0, 10);
    expect(b.size).toBe(10 * P + 15);
    expect(residentList(b)).toEqual([10]);
    expect(b.frameAt(3)).toBe(-1);
    expect(readAll(b, 0, 10 * P + 5).every((x) => x === 0)).toBe(true);
  });

  it('clips reads at the end and honours destination offsets', () => {
    const b = new PagedBuffer(new ArenaFrameAllocator({ frames: 4 }));
    b.write(0, bytes(10), 0, 10);
    const out = new Uint8Array(20).fill(7);
    expect(b.read(6, out, 3, 10)).toBe(4);
    expect([...out.subarray(0, 8)]).toEqual([7, 7, 7, ...bytes(10).subarray(6, 10), 7]);
    expect(b.read(10, out, 0, 5)).toBe(0);
    expect(b.read(1000, out, 0, 5)).toBe(0);
  });

  it('rejects bad arguments', () => {
    const b = new PagedBuffer(new ArenaFrameAllocator({ frames: 4 }));
    const buf = new Uint8Array(8);
    expect(() => b.read(-1, buf, 0, 1)).toThrow(InvariantError);
    expect(() => b.read(0, buf, 4, 5)).toThrow(InvariantError);
    expect(() => b.write(0.5, buf, 0, 1)).toThrow(InvariantError);
    expect(() => b.write(0, buf, 0, 9)).toThrow(InvariantError);
    expect(() => b.write((1n << 63n) - 1n, buf, 0, 2)).toThrow(InvariantError);
    expect(() => b.resize(-1)).toThrow(InvariantError);
    expect(() => b.frameAt(-1)).toThrow(InvariantError);
    expect(() => b.getOrAllocFrame(0)).toThrow(InvariantError); // past the end
    expect(() => b.punchHole(-1, 2)).toThrow(InvariantError);
  });
});

describe('PagedBuffer out of memory', () => {
  it('returns -ENOSPC when no byte could be written, leaving the size alone', () => {
    const alloc = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 8 }));
    const b = new PagedBuffer(alloc);
    alloc.failNext(1);
    expect(b.write(3 * P, bytes(10), 0, 10)).toBe(-ENOSPC);
    expect(ENOSPC).toBe(28);
    expect(b.size).toBe(0);
    expect(b.residentPages()).toBe(0);
  });

  it('returns a short count when a later page fails', () => {
    const alloc = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 8 }));
    const b = new PagedBuffer(alloc);
    alloc.failAfter(2);
    const data = bytes(3 * P);
    expect(b.write(100, data, 0, data.length)).toBe(2 * P - 100);
    expect(b.size).toBe(2 * P);
    expect(readAll(b, 100)).toEqual(data.subarray(0, 2 * P - 100));
    // Pages that already exist need no allocation.
    expect(b.write(0, data, 0, 2 * P)).toBe(2 * P);
    alloc.reset();
    b.release();
    assertNoFramesInUse(alloc);
  });

  it('getOrAllocFrame reports OOM as -1', () => {
    const alloc = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 8 }));
    const b = new PagedBuffer(alloc);
    b.resize(P);
    alloc.failNext(1);
    expect(b.getOrAllocFrame(0)).toBe(-1);
    expect(b.getOrAllocFrame(0)).toBeGreaterThanOrEqual(0);
  });
});

describe('PagedBuffer resize', () => {
  it('grows without allocating and reads zeros', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(10), 0, 10);
    expect(b.resize(5 * P)).toBe(0);
    expect(b.size).toBe(5 * P);
    expect(b.residentPages()).toBe(1);
    expect(readAll(b, 10).every((x) => x === 0)).toBe(true);
  });

  it('shrinks: releases whole pages past the end and zeroes the partial tail', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(4 * P), 0, 4 * P);
    const f1 = must(b.frameAt(1));
    expect(b.resize(P + 10)).toBe(0);
    expect(b.residentPages()).toBe(2);
    expect(alloc.stats().usedFrames).toBe(2);
    // Mappings must see zeros past EOF in the partial page.
    const page = alloc.memory(f1).subarray(alloc.offset(f1), alloc.offset(f1) + P);
    expect(page.subarray(10).every((x) => x === 0)).toBe(true);
    expect([...page.subarray(0, 10)]).toEqual([...bytes(4 * P).subarray(P, P + 10)]);
    b.resize(3 * P);
    expect(readAll(b, P + 10).every((x) => x === 0)).toBe(true);
    b.checkInvariants();
  });

  it('keeps page alignment through a resize to 0 and back (the Mystikos bug)', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(P + 1), 0, P + 1);
    b.resize(0);
    expect([b.size, b.pageCount, b.residentPages()]).toEqual([0, 0, 0]);
    expect(alloc.stats().usedFrames).toBe(0);
    b.resize(2 * P);
    expect(readAll(b).every((x) => x === 0)).toBe(true);
    const f = must(b.getOrAllocFrame(1));
    expect(alloc.offset(f) % P).toBe(0);
    b.write(3, bytes(5000), 0, 5000);
    b.forEachResident((_page, frame) => expect(alloc.offset(frame) % P).toBe(0));
    expect(readAll(b, 3, 5000)).toEqual(bytes(5000));
  });

  it('with zeroTailOnGrow, clears what a mapping stored past EOF before it becomes file data', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc, { zeroTailOnGrow: true });
    b.write(0, bytes(100), 0, 100);
    const f = must(b.getOrAllocFrame(0));
    alloc.write(f, 100, bytes(50, 9), 0, 50);
    b.resize(200);
    expect(readAll(b, 100).every((x) => x === 0)).toBe(true);
    alloc.write(f, 300, bytes(50, 9), 0, 50);
    b.write(400, bytes(1), 0, 1);
    expect(readAll(b, 200, 200).every((x) => x === 0)).toBe(true);
  });

  it('keeps bytes a shared mapping stored past EOF when the size grows, as tmpfs does', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(100), 0, 100);
    const f = must(b.getOrAllocFrame(0));
    alloc.write(f, 100, bytes(50, 9), 0, 50); // a MAP_SHARED store past EOF
    // Never read while past EOF: a read stops at 100 bytes.
    expect(readAll(b, 0, 200).subarray(100).every((x) => x === 0)).toBe(true);
    b.resize(200);
    expect(readAll(b, 100, 50)).toEqual(bytes(50, 9));
    // Shrinking is what clears the tail: a later grow reads zeros.
    b.resize(100);
    b.resize(200);
    expect(readAll(b, 100).every((x) => x === 0)).toBe(true);
  });

  it('a resize to the same size clears what a mapping stored past EOF too (truncate_inode_pages_range)', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(100), 0, 100);
    alloc.write(must(b.getOrAllocFrame(0)), 100, bytes(50, 9), 0, 50);
    expect(b.resize(100)).toBe(0);
    b.resize(200);
    expect(readAll(b, 0, 100)).toEqual(bytes(100));
    expect(readAll(b, 100).every((x) => x === 0)).toBe(true);
  });
});

describe('PagedBuffer frames for mappings', () => {
  it('frameAt reports holes and getOrAllocFrame fills them with zeroed frames', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.resize(3 * P);
    expect(b.frameAt(1)).toBe(-1);
    const f = must(b.getOrAllocFrame(1));
    expect(f).toBeGreaterThanOrEqual(0);
    expect(b.frameAt(1)).toBe(f);
    expect(b.getOrAllocFrame(1)).toBe(f);
    expect(b.residentPages()).toBe(1);
    expect(b.frameAt(99)).toBe(-1);
  });

  it('a mapping reference keeps a frame alive after the buffer lets go', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(P), 0, P);
    const f = must(b.getOrAllocFrame(0));
    alloc.incRef(f); // the mapping's reference
    b.resize(0);
    expect(alloc.refCount(f)).toBe(1);
    alloc.decRef(f);
    assertNoFramesInUse(alloc);
  });
});

describe('PagedBuffer punchHole and release', () => {
  it('releases whole pages and zeroes partial edges, keeping the size', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    const data = bytes(5 * P);
    b.write(0, data, 0, data.length);
    b.punchHole(P - 10, 3 * P + 20); // [P-10, 4P+10)
    expect(b.size).toBe(5 * P);
    expect(residentList(b)).toEqual([0, 4]);
    const after = readAll(b);
    expect(after.subarray(P - 10, 4 * P + 10).every((x) => x === 0)).toBe(true);
    expect(after.subarray(0, P - 10)).toEqual(data.subarray(0, P - 10));
    expect(after.subarray(4 * P + 10)).toEqual(data.subarray(4 * P + 10));
    b.checkInvariants();
  });

  it('zeroes without freeing inside one page, and frees the last partial page at EOF', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(2 * P + 10), 0, 2 * P + 10);
    b.punchHole(5, 10);
    expect(b.residentPages()).toBe(3);
    expect(readAll(b, 5, 10).every((x) => x === 0)).toBe(true);
    b.punchHole(2 * P, 1000); // reaches EOF: the partial last page goes
    expect(residentList(b)).toEqual([0, 1]);
    b.punchHole(4000, 200); // straddles pages 0 and 1, neither whole
    expect(residentList(b)).toEqual([0, 1]);
    expect(readAll(b, 4000, 200).every((x) => x === 0)).toBe(true);
    b.punchHole(10 * P, P); // past EOF: nothing
    expect(b.size).toBe(2 * P + 10);
  });

  it('release drops every frame', () => {
    const alloc = new ArenaFrameAllocator({ frames: 16 });
    const b = new PagedBuffer(alloc);
    b.write(0, bytes(3 * P), 0, 3 * P);
    b.write(100 * P, bytes(3), 0, 3);
    b.release();
    expect([b.size, b.residentPages()]).toEqual([0, 0]);
    assertNoFramesInUse(alloc);
    b.write(0, bytes(3), 0, 3);
    expect(b.residentPages()).toBe(1);
  });
});

describe('PagedBuffer sparse huge sizes', () => {
  it('a 1 TiB ftruncate costs nothing and the far end is writable', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    const heap = process.memoryUsage().heapUsed;
    b.resize(2 ** 40);
    expect(b.pageCount).toBe(2 ** 28);
    expect(b.residentPages()).toBe(0);
    b.write(2 ** 40 - 3, bytes(3), 0, 3);
    b.write(2 ** 39, bytes(3), 0, 3);
    expect(b.residentPages()).toBe(2);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(8 * 2 ** 20);
    expect(readAll(b, 2 ** 40 - 3)).toEqual(bytes(3));
    expect(readAll(b, 2 ** 39 - 2, 6)).toEqual(Uint8Array.from([0, 0, ...bytes(3), 0]));
    expect(residentList(b)).toEqual([2 ** 27, 2 ** 28 - 1]);
    b.checkInvariants();
    b.resize(2 ** 39 + 1);
    expect(b.residentPages()).toBe(1);
    b.punchHole(0, 2 ** 40);
    expect(b.residentPages()).toBe(0);
    assertNoFramesInUse(alloc);
  });

  it('handles offsets near 2^53', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    const far = 2 ** 53 - 2 * P;
    expect(b.write(far, bytes(P), 0, P)).toBe(P);
    expect(readAll(b, far)).toEqual(bytes(P));
    b.release();
    assertNoFramesInUse(alloc);
  });

  it('keeps exact sizes and offsets past 2^53, up to 2^63 - 1 (tmpfs MAX_LFS_FILESIZE)', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const b = new PagedBuffer(alloc);
    const max = (1n << 63n) - 1n;
    expect(b.resize(max)).toBe(0);
    expect(b.size).toBe(max);
    expect(b.pageCount).toBe(2 ** 51);
    // Across a page boundary at 2^62 + 4096 - 1, and 2^53 + 1 (no double holds it).
    const at = (1n << 62n) + BigInt(P) - 1n;
    expect(b.write(at, bytes(3), 0, 3)).toBe(3);
    expect(b.write(2n ** 53n + 1n, bytes(2, 7), 0, 2)).toBe(2);
    const out = new Uint8Array(5);
    expect(b.read(at - 1n, out, 0, 5)).toBe(5);
    expect(out).toEqual(Uint8Array.of(0, ...bytes(3), 0));
    const two = new Uint8Array(3);
    expect(b.read(2n ** 53n, two, 0, 3)).toBe(3);
    expect(two).toEqual(Uint8Array.of(0, ...bytes(2, 7)));
    expect(b.residentPages()).toBe(3);
    // A read at the end is clipped exactly; past it reads nothing.
    expect(b.read(max - 1n, out, 0, 5)).toBe(1);
    expect(b.read(max, out, 0, 5)).toBe(0);
    // Punching the middle page of the write keeps the size; a shrink to a byte past 2^53 frees the rest.
    b.punchHole(1n << 62n, P);
    expect(b.residentPages()).toBe(2);
    expect(b.size).toBe(max);
    expect(b.resize(2n ** 53n + 2n)).toBe(0);
    expect(b.size).toBe(2n ** 53n + 2n);
    expect(b.read(2n ** 53n, two, 0, 3)).toBe(2);
    expect(two.subarray(0, 2)).toEqual(Uint8Array.of(0, bytes(2, 7)[0]!));
    b.checkInvariants();
    // Writing up to 2^63 - 1 exactly fits; a byte more does not.
    expect(b.write(max - 2n, bytes(2), 0, 2)).toBe(2);
    expect(b.size).toBe(max);
    b.release();
    assertNoFramesInUse(alloc);
  });

  it('shrinks to a safe size and stays a number', () => {
    const alloc = new ArenaFrameAllocator({ frames: 4 });
    const b = new PagedBuffer(alloc);
    b.resize(1n << 60n);
    b.resize(10);
    expect(b.size).toBe(10);
    b.release();
  });
});

describe('page flags', () => {
  it('a frame the buffer takes gets its page flags; a write dirties the pages it wrote', () => {
    const alloc = new ArenaFrameAllocator({ frames: 8 });
    const buf = new PagedBuffer(alloc, { pageFlags: PG.UPTODATE | PG.SWAPBACKED });
    buf.resize(4 * P);
    const loaded = must(buf.getOrAllocFrame(0));
    expect(alloc.pageFlags(loaded)).toBe(PG.UPTODATE | PG.SWAPBACKED);
    expect(buf.write(P - 1, new Uint8Array(P + 2), 0, P + 2)).toBe(P + 2); // pages 0, 1 and 2
    for (const p of [0, 1, 2]) expect(alloc.pageFlags(must(buf.frameAt(p)))).toBe(PG.UPTODATE | PG.SWAPBACKED | PG.DIRTY);
    expect(buf.frameAt(3)).toBe(-1);
    buf.markClean(1);
    expect(alloc.pageFlags(must(buf.frameAt(1)))).toBe(PG.UPTODATE | PG.SWAPBACKED);
    buf.markDirty(3); // a hole stays one
    expect(buf.frameAt(3)).toBe(-1);
    expect(alloc.pageFlags(must(alloc.allocate()))).toBe(0); // a frame nobody flagged
  });

  it('uptodate by default', () => {
    const alloc = new ArenaFrameAllocator({ frames: 2 });
    const buf = new PagedBuffer(alloc);
    buf.resize(P);
    expect(alloc.pageFlags(must(buf.getOrAllocFrame(0)))).toBe(PG.UPTODATE);
  });
});
