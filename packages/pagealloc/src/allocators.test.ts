// Behaviour every FrameAllocator implementation shares, run against each.
import { InvariantError } from '@tskern/assert';
import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from './arena';
import { ChunkedFrameAllocator } from './chunked';
import { PAGE_SIZE, type FrameId } from './constants';
import type { FrameAllocator } from './frame-allocator';
import { assertNoFramesInUse, framesInUse } from './leaks';
import { LimitedFrameAllocator } from './limited';
import { PG } from './page-flags';
import { allocated } from './test-kit';

type Make = (frames: number) => FrameAllocator & { checkInvariants(): void };

const kinds: [string, Make][] = [
  ['ArenaFrameAllocator', (frames) => new ArenaFrameAllocator({ frames })],
  ['ArenaFrameAllocator (shared)', (frames) => new ArenaFrameAllocator({ frames, shared: true })],
  [
    'ChunkedFrameAllocator',
    (frames) => new ChunkedFrameAllocator({ chunkFrames: 4, maxFrames: frames }),
  ],
];

function pageOf(a: FrameAllocator, f: FrameId): Uint8Array {
  const out = new Uint8Array(PAGE_SIZE);
  a.read(f, 0, out, 0, PAGE_SIZE);
  return out;
}

describe.each(kinds)('%s', (_name, make) => {
  it('hands out zeroed frames with refcount 1 and counts them', () => {
    const a = make(8);
    expect(a.pageSize).toBe(PAGE_SIZE);
    const f = allocated(a.allocate());
    expect(f).toBeGreaterThanOrEqual(0);
    expect(a.refCount(f)).toBe(1);
    expect(a.isUnique(f)).toBe(true);
    expect(pageOf(a, f).every((b) => b === 0)).toBe(true);
    expect(a.stats()).toEqual({
      totalFrames: 8,
      usedFrames: 1,
      freeFrames: 7,
      allocations: 1,
      frees: 0,
    });
    a.decRef(f);
    expect(a.stats()).toEqual({
      totalFrames: 8,
      usedFrames: 0,
      freeFrames: 8,
      allocations: 1,
      frees: 1,
    });
    assertNoFramesInUse(a);
    a.checkInvariants();
  });

  it('shares frames by refcount and frees at zero', () => {
    const a = make(8);
    const f = allocated(a.allocate());
    a.incRef(f);
    a.incRef(f);
    expect(a.refCount(f)).toBe(3);
    expect(a.isUnique(f)).toBe(false);
    a.decRef(f);
    a.decRef(f);
    expect(a.isUnique(f)).toBe(true);
    expect(framesInUse(a)).toBe(1);
    a.decRef(f);
    expect(framesInUse(a)).toBe(0);
    expect(() => a.refCount(f)).toThrow(InvariantError);
  });

  it('reuses freed frames first, and zeroes them again', () => {
    const a = make(8);
    const f = allocated(a.allocate());
    a.write(f, 100, new Uint8Array([1, 2, 3]), 0, 3);
    a.decRef(f);
    const g = allocated(a.allocate());
    expect(g).toBe(f);
    expect(pageOf(a, g).every((b) => b === 0)).toBe(true);
    a.write(g, 0, new Uint8Array(PAGE_SIZE).fill(9), 0, PAGE_SIZE);
    a.decRef(g);
    const h = allocated(a.allocateUninitialized());
    expect(h).toBe(f); // contents unspecified: here the stale 9s
    a.decRef(h);
    a.checkInvariants();
  });

  it('reports out of memory as -1 without throwing', () => {
    const a = make(8);
    const frames = Array.from({ length: 8 }, () => allocated(a.allocate()));
    expect(new Set(frames).size).toBe(8);
    expect(frames.every((f) => f >= 0)).toBe(true);
    expect(a.allocate()).toBe(-1);
    expect(a.allocateUninitialized()).toBe(-1);
    a.decRef(frames[3]!);
    expect(a.allocate()).toBe(frames[3]);
    expect(a.stats().freeFrames).toBe(0);
  });

  it('reads, writes, zeroes and copies inside one page', () => {
    const a = make(8);
    const f = allocated(a.allocate());
    const g = allocated(a.allocate());
    const src = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    a.write(f, 4000, src, 10, 96); // long copy path
    a.write(f, 0, src, 0, 5); // short copy path
    const out = new Uint8Array(100);
    a.read(f, 4000, out, 2, 96);
    expect([...out.subarray(2, 98)]).toEqual([...src.subarray(10, 106)]);
    a.read(f, 0, out, 0, 5);
    expect([...out.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    a.copy(f, g);
    expect(pageOf(a, g)).toEqual(pageOf(a, f));
    a.zero(g, 4010, 6);
    const page = pageOf(a, g);
    expect([...page.subarray(4008, 4018)]).toEqual([18, 19, 0, 0, 0, 0, 0, 0, 26, 27]);
    // memory()/offset() expose the same bytes.
    expect(a.memory(f)[a.offset(f) + 4001]).toBe(11);
    expect(a.offset(f) % PAGE_SIZE).toBe(0);
  });

  it('rejects misuse with InvariantError', () => {
    const a = make(8);
    const f = allocated(a.allocate());
    const free = allocated(a.allocate());
    a.decRef(free);
    const buf = new Uint8Array(PAGE_SIZE + 1);
    // Ids no allocator handed out (or no longer holds), forced past the type on purpose.
    for (const bad of [free, -1, 8, 100, 1.5, Number.NaN] as FrameId[]) {
      expect(() => a.incRef(bad)).toThrow(InvariantError);
      expect(() => a.decRef(bad)).toThrow(InvariantError);
      expect(() => a.refCount(bad)).toThrow(InvariantError);
      expect(() => a.isUnique(bad)).toThrow(InvariantError);
      expect(() => a.memory(bad)).toThrow(InvariantError);
      expect(() => a.offset(bad)).toThrow(InvariantError);
      expect(() => a.read(bad, 0, buf, 0, 1)).toThrow(InvariantError);
      expect(() => a.write(bad, 0, buf, 0, 1)).toThrow(InvariantError);
      expect(() => a.zero(bad, 0, 1)).toThrow(InvariantError);
      expect(() => a.copy(bad, f)).toThrow(InvariantError);
      expect(() => a.copy(f, bad)).toThrow(InvariantError);
    }
    expect(() => a.read(f, 4000, buf, 0, 97)).toThrow(InvariantError);
    expect(() => a.write(f, -1, buf, 0, 1)).toThrow(InvariantError);
    expect(() => a.zero(f, 0, PAGE_SIZE + 1)).toThrow(InvariantError);
    expect(() => a.read(f, 0, buf, 2, PAGE_SIZE)).toThrow(InvariantError);
    expect(() => a.write(f, 0, buf, 2, PAGE_SIZE)).toThrow(InvariantError);
    expect(() => a.read(f, 0, buf, 0, -1)).toThrow(InvariantError);
    expect(() => assertNoFramesInUse(a, 'teardown')).toThrow(/teardown: 1 frame/);
    a.checkInvariants();
  });
});

describe('ArenaFrameAllocator sizing', () => {
  it('defaults to 256 MiB and accepts bytes or frames', () => {
    expect(new ArenaFrameAllocator().stats().totalFrames).toBe(65_536);
    expect(new ArenaFrameAllocator({ bytes: 10 * PAGE_SIZE + 5 }).stats().totalFrames).toBe(10);
    expect(new ArenaFrameAllocator({ frames: 3 }).bytes.length).toBe(3 * PAGE_SIZE);
  });

  it('backs the arena with a SharedArrayBuffer on request', () => {
    expect(new ArenaFrameAllocator({ frames: 1, shared: true }).bytes.buffer).toBeInstanceOf(
      SharedArrayBuffer,
    );
    expect(new ArenaFrameAllocator({ frames: 1 }).bytes.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('rejects impossible sizes', () => {
    expect(() => new ArenaFrameAllocator({ frames: 0 })).toThrow(InvariantError);
    expect(() => new ArenaFrameAllocator({ bytes: 100 })).toThrow(InvariantError);
    expect(() => new ArenaFrameAllocator({ frames: 2 ** 20 + 1 })).toThrow(InvariantError);
  });

  it('a 4 GiB arena costs nothing until used', () => {
    const before = process.memoryUsage().rss;
    const a = new ArenaFrameAllocator({ bytes: 2 ** 32 });
    const f = allocated(a.allocate());
    a.write(f, 0, new Uint8Array([1]), 0, 1);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 2 ** 20);
    a.decRef(f);
  });
});

describe('ChunkedFrameAllocator growth', () => {
  it('adds a chunk only when fresh frames run into it', () => {
    const a = new ChunkedFrameAllocator({ chunkFrames: 2, maxFrames: 5 });
    expect(a.chunkCount).toBe(0);
    const f0 = allocated(a.allocate());
    const f1 = allocated(a.allocate());
    expect(a.chunkCount).toBe(1);
    const f2 = allocated(a.allocate());
    expect(a.chunkCount).toBe(2);
    expect(a.memory(f0)).toBe(a.memory(f1));
    expect(a.memory(f2)).not.toBe(a.memory(f0));
    expect([a.offset(f0), a.offset(f1), a.offset(f2)]).toEqual([0, PAGE_SIZE, 0]);
    a.decRef(f1);
    expect(a.allocate()).toBe(f1);
    expect(a.chunkCount).toBe(2);
    a.allocate();
    a.allocate();
    expect(a.chunkCount).toBe(3);
    expect(a.allocate()).toBe(-1);
    a.checkInvariants();
  });

  it('copies across chunks', () => {
    const a = new ChunkedFrameAllocator({ chunkFrames: 1, maxFrames: 2 });
    const f = allocated(a.allocate());
    const g = allocated(a.allocate());
    a.write(f, 7, new Uint8Array([42]), 0, 1);
    a.copy(f, g);
    expect(a.memory(g)[a.offset(g) + 7]).toBe(42);
  });

  it('rejects bad geometry', () => {
    expect(() => new ChunkedFrameAllocator({ chunkFrames: 3 })).toThrow(InvariantError);
    expect(() => new ChunkedFrameAllocator({ maxFrames: 0 })).toThrow(InvariantError);
  });
});

describe('page flags', () => {
  it('are set and cleared per frame, and a freed frame loses them', () => {
    const frames = new ArenaFrameAllocator({ frames: 4 });
    const f = allocated(frames.allocate());
    expect(frames.pageFlags(f)).toBe(0);
    frames.updatePageFlags(f, PG.DIRTY | PG.UPTODATE, 0);
    expect(frames.pageFlags(f)).toBe(PG.DIRTY | PG.UPTODATE);
    frames.updatePageFlags(f, 0, PG.DIRTY);
    expect(frames.pageFlags(f)).toBe(PG.UPTODATE);
    frames.updatePageFlags(f, PG.DIRTY, 0);
    frames.decRef(f);
    const g = allocated(frames.allocate());
    expect(g).toBe(f);
    expect(frames.pageFlags(g)).toBe(0);
  });

  it('isAllocated answers for any number, free frames and strangers included', () => {
    const frames = new ArenaFrameAllocator({ frames: 2 });
    const outer = new LimitedFrameAllocator(frames, { maxFrames: 2 });
    expect(outer.isAllocated(0)).toBe(false);
    const f = allocated(outer.allocate());
    expect(outer.isAllocated(f)).toBe(true);
    for (const stranger of [-1, 2, 0.5, Number.NaN]) expect(frames.isAllocated(stranger)).toBe(false);
    outer.decRef(f);
    expect(outer.isAllocated(f)).toBe(false);
  });

  it('pass through a delegating allocator', () => {
    const inner = new ArenaFrameAllocator({ frames: 2 });
    const outer = new LimitedFrameAllocator(inner, { maxFrames: 2 });
    const f = allocated(outer.allocate());
    outer.updatePageFlags(f, PG.DIRTY, 0);
    expect(inner.pageFlags(f)).toBe(PG.DIRTY);
  });
});
