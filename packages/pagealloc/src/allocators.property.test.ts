// Property: random allocate/incRef/decRef sequences agree with a model of
// refcounts, and frames never alias (each live frame keeps its own stamp).
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from './arena';
import { ChunkedFrameAllocator } from './chunked';
import { isFrame, NO_FRAME, type FrameId } from './constants';
import type { FrameAllocator } from './frame-allocator';

type Op =
  { op: 'alloc'; uninit: boolean } | { op: 'inc'; pick: number } | { op: 'dec'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('alloc' as const), uninit: fc.boolean() }),
  fc.record({ op: fc.constant('inc' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('dec' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('dec' as const), pick: fc.nat() }),
);

const FRAMES = 12;
const makers: [string, () => FrameAllocator & { checkInvariants(): void }][] = [
  ['arena', () => new ArenaFrameAllocator({ frames: FRAMES })],
  ['chunked', () => new ChunkedFrameAllocator({ chunkFrames: 4, maxFrames: FRAMES })],
];

describe.each(makers)('%s allocator against a refcount model', (_name, make) => {
  it('agrees on refcounts, usage and contents', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300, size: 'max' }), (ops) => {
        const a = make();
        const model = new Map<FrameId, { refs: number; stamp: number }>();
        let stamps = 0;
        let allocations = 0;
        let frees = 0;
        const stampBuf = new Uint8Array(2);
        for (const o of ops) {
          const live = [...model.keys()];
          if (o.op === 'alloc') {
            const f = o.uninit ? a.allocateUninitialized() : a.allocate();
            if (model.size === FRAMES) {
              expect(f).toBe(NO_FRAME);
              continue;
            }
            if (!isFrame(f)) throw new Error('allocator failed with frames free');
            expect(model.has(f)).toBe(false);
            if (!o.uninit) {
              const page = a.memory(f).subarray(a.offset(f), a.offset(f) + 4096);
              expect(page.every((b) => b === 0)).toBe(true);
            }
            const stamp = ++stamps & 0xffff;
            stampBuf[0] = stamp & 0xff;
            stampBuf[1] = stamp >> 8;
            a.write(f, 4094, stampBuf, 0, 2);
            model.set(f, { refs: 1, stamp });
            allocations++;
          } else if (live.length > 0) {
            const f = live[o.pick % live.length]!;
            const m = model.get(f)!;
            if (o.op === 'inc') {
              a.incRef(f);
              m.refs++;
            } else {
              a.decRef(f);
              if (--m.refs === 0) {
                model.delete(f);
                frees++;
              }
            }
          }
          const s = a.stats();
          const got: number[] = [s.usedFrames, s.freeFrames, s.allocations, s.frees];
          const want: number[] = [model.size, FRAMES - model.size, allocations, frees];
          for (const [f, m] of model) {
            a.read(f, 4094, stampBuf, 0, 2);
            got.push(a.refCount(f), Number(a.isUnique(f)), stampBuf[0]! | (stampBuf[1]! << 8));
            want.push(m.refs, Number(m.refs === 1), m.stamp);
          }
          expect(got).toEqual(want);
          a.checkInvariants();
        }
      }),
      { numRuns: propertyRuns(50) },
    );
  }, testTimeout(30_000));
});
