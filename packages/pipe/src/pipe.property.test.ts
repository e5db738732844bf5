import { PAGE_SIZE } from '@tskern/abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pipe, PIPE_BUF } from './pipe';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);

describe('Pipe properties', () => {
  it('is a FIFO of bytes within its capacity; writes up to PIPE_BUF are all-or-nothing', () => {
    const op = fc.oneof(
      fc.record({ write: fc.integer({ min: 1, max: 3 * PAGE_SIZE }), resumed: fc.boolean() }),
      fc.record({ read: fc.integer({ min: 1, max: 3 * PAGE_SIZE }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4), fc.array(op, { maxLength: 40 }), (pages, ops) => {
        const pipe = new Pipe('pipe:[1]');
        pipe.openEnd('read');
        pipe.openEnd('write');
        expect(pipe.setCapacity(pages * PAGE_SIZE, false)).toBe(pages * PAGE_SIZE);
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if ('write' in o) {
            const src = Uint8Array.from({ length: o.write }, (_, i) => (next + i) & 0xff);
            const r = pipe.write(src, 0, o.write, { resumed: o.resumed });
            const n = typeof r === 'number' ? r : r.count;
            if (typeof r !== 'number') expect(r.kind).toBe('would-block');
            if (o.write <= PIPE_BUF) expect(n === 0 || n === o.write).toBe(true);
            for (let i = 0; i < n; i++) model.push(src[i]!);
            next += n;
          } else {
            const dst = new Uint8Array(o.read);
            const r = pipe.read(dst, 0, o.read);
            if (model.length === 0) {
              expect(r).toEqual({ kind: 'would-block', count: 0 });
            } else {
              const n = Math.min(o.read, model.length);
              expect(r).toBe(n);
              expect([...dst.subarray(0, n)]).toEqual(model.splice(0, n));
            }
          }
          expect(pipe.available).toBe(model.length);
          expect(pipe.available).toBeLessThanOrEqual(pipe.capacity);
        }
      }),
      { numRuns: runs },
    );
  });
});
