import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from './arena';
import { storedFrame, isFrame, NO_FRAME, type FrameId, type NoFrame } from './constants';

// The `@ts-expect-error` lines are compile-time tests (the package typecheck
// runs tsc over tests): each fails the build if it ever type-checks.

describe('FrameId and NO_FRAME', () => {
  it('an allocation must be checked before it is used as a frame', () => {
    const a = new ArenaFrameAllocator({ frames: 1 });
    const f = a.allocate();
    // @ts-expect-error FrameId | NoFrame is not a FrameId until checked
    expect(() => a.refCount(f)).not.toThrow();
    if (f === NO_FRAME) throw new Error('unreachable: one frame is free');
    expect(a.refCount(f)).toBe(1); // narrowed by the comparison
    const none: FrameId | NoFrame = a.allocate();
    expect(none).toBe(NO_FRAME);
    expect(isFrame(none)).toBe(false);
    a.decRef(f);
  });

  it('a plain number, a count or an errno is not a frame', () => {
    const a = new ArenaFrameAllocator({ frames: 4 });
    // @ts-expect-error a plain number is not a FrameId
    const n: FrameId = 0;
    // @ts-expect-error -errno is not "no frame" either
    const e: NoFrame = -12 as number;
    expect(() => a.decRef(n)).toThrow(); // frame 0 was never allocated
    expect(e).toBe(-12);
  });

  it('storedFrame reads the frames a typed array stores, NO_FRAME included', () => {
    const slots = new Int32Array([3, NO_FRAME]);
    const first = storedFrame(slots, 0);
    expect(isFrame(first) ? first : null).toBe(3);
    expect(storedFrame(slots, 1)).toBe(NO_FRAME);
  });
});
