import { InvariantError } from '@tskern/assert';
import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from './arena';
import { FaultyFrameAllocator } from './faulty';
import { LimitedFrameAllocator } from './limited';
import { allocated } from './test-kit';

describe('LimitedFrameAllocator', () => {
  it('resize changes the quota, never below the frames alive (a tmpfs remount with a new size=)', () => {
    const q = new LimitedFrameAllocator(new ArenaFrameAllocator({ frames: 16 }), { maxFrames: 1 });
    const a = allocated(q.allocate());
    expect(q.allocate()).toBe(-1);
    expect(q.resize(0)).toBe(false);
    expect(q.maxFrames).toBe(1);
    expect(q.resize(2)).toBe(true);
    expect(allocated(q.allocate())).toBeGreaterThanOrEqual(0);
    expect(q.stats().totalFrames).toBe(2);
    q.decRef(a);
  });

  it('enforces a quota of live frames and gives it back on free', () => {
    const inner = new ArenaFrameAllocator({ frames: 16 });
    const other = allocated(inner.allocate()); // someone else's frame: not on our quota
    const q = new LimitedFrameAllocator(inner, { maxFrames: 2 });
    const a = allocated(q.allocate());
    const b = allocated(q.allocateUninitialized());
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(q.allocate()).toBe(-1);
    expect(q.heldFrames).toBe(2);
    q.incRef(a);
    q.decRef(a); // still referenced: quota unchanged
    expect(q.allocate()).toBe(-1);
    q.decRef(a);
    expect(q.heldFrames).toBe(1);
    const c = allocated(q.allocate());
    expect(c).toBeGreaterThanOrEqual(0);
    expect(q.stats()).toEqual({
      totalFrames: 2,
      usedFrames: 2,
      freeFrames: 0,
      allocations: 3,
      frees: 1,
    });
    expect(inner.stats().usedFrames).toBe(3);
    expect(q.pageSize).toBe(4096);
    q.decRef(b);
    q.decRef(c);
    inner.decRef(other);
    expect(inner.stats().usedFrames).toBe(0);
  });

  it('forwards page access to the inner allocator', () => {
    const inner = new ArenaFrameAllocator({ frames: 4 });
    const q = new LimitedFrameAllocator(inner, { maxFrames: 4 });
    const f = allocated(q.allocate());
    const g = allocated(q.allocate());
    q.write(f, 1, new Uint8Array([5]), 0, 1);
    q.copy(f, g);
    const out = new Uint8Array(2);
    q.read(g, 0, out, 0, 2);
    expect([...out]).toEqual([0, 5]);
    q.zero(g, 1, 1);
    expect(q.memory(g)[q.offset(g) + 1]).toBe(0);
    expect(q.refCount(f)).toBe(1);
    expect(q.isUnique(f)).toBe(true);
  });

  it('notices frees of frames it never allocated', () => {
    const inner = new ArenaFrameAllocator({ frames: 4 });
    const q = new LimitedFrameAllocator(inner, { maxFrames: 4 });
    const f = allocated(inner.allocate());
    expect(() => q.decRef(f)).toThrow(InvariantError);
  });
});

describe('FaultyFrameAllocator', () => {
  it('fails the next N allocations and counts calls', () => {
    const inner = new ArenaFrameAllocator({ frames: 8 });
    const a = new FaultyFrameAllocator(inner).failNext(2);
    expect(a.allocate()).toBe(-1);
    expect(a.allocateUninitialized()).toBe(-1);
    const f = allocated(a.allocate());
    expect(f).toBeGreaterThanOrEqual(0);
    expect(a.allocateCalls).toBe(3);
    expect(a.injectedFailures).toBe(2);
    a.decRef(f);
  });

  it('fails after N successes until reset', () => {
    const a = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 8 })).failAfter(2);
    expect(a.allocate()).toBeGreaterThanOrEqual(0);
    expect(a.allocate()).toBeGreaterThanOrEqual(0);
    expect(a.allocate()).toBe(-1);
    expect(a.allocate()).toBe(-1);
    a.reset();
    expect(a.allocate()).toBeGreaterThanOrEqual(0);
    expect(a.stats().usedFrames).toBe(3);
  });

  it('fails while usage is at a limit', () => {
    const a = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 8 })).failWhenUsedAtLeast(
      2,
    );
    const f = allocated(a.allocate());
    a.allocate();
    expect(a.allocate()).toBe(-1);
    a.decRef(f);
    expect(a.allocate()).toBe(f);
  });
});
