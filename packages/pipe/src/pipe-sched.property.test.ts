import { PAGE_SIZE } from '@tskern/abi';
import { Scheduler, VirtualClock, waitOn } from '@tskern/sched';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pipe } from './pipe';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 50);

interface Writer {
  readonly kind: 'writer';
  left: number;
  resumed: boolean;
}
interface Reader {
  readonly kind: 'reader';
  chunk: number;
}

describe('a pipe driven by the scheduler', () => {
  it('blocking writers and readers move every byte, in order per writer, and end with no one blocked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 * PAGE_SIZE }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 2 * PAGE_SIZE }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 2, 16),
        (writes, readChunks, pages) => {
          const s = new Scheduler<string>(new VirtualClock());
          const pipe = new Pipe('pipe:[1]');
          pipe.setCapacity(pages * PAGE_SIZE, false);
          const actors = new Map<string, Writer | Reader>();
          writes.forEach((n, i) => {
            actors.set(`w${i}`, { kind: 'writer', left: n, resumed: false });
            pipe.openEnd('write');
            s.makeRunnable(`w${i}`);
          });
          readChunks.forEach((n, i) => {
            actors.set(`r${i}`, { kind: 'reader', chunk: n });
            pipe.openEnd('read');
            s.makeRunnable(`r${i}`);
          });
          const total = writes.reduce((a, b) => a + b, 0);
          let read = 0;
          for (let steps = 0; steps < 10_000; steps++) {
            const d = s.next();
            if (d.kind !== 'run') {
              expect(d.kind).toBe('done');
              break;
            }
            const a = actors.get(d.id)!;
            if (a.kind === 'writer') {
              const r = pipe.write(new Uint8Array(a.left), 0, a.left, { resumed: a.resumed });
              const n = typeof r === 'number' ? r : r.count;
              a.left -= n;
              if (a.left === 0) {
                pipe.closeEnd('write');
                s.remove(d.id);
              } else {
                a.resumed = true;
                s.block(d.id, { on: [waitOn(pipe.writeWait)], reason: 'write pipe:[1]' });
              }
            } else {
              const r = pipe.read(new Uint8Array(a.chunk), 0, a.chunk);
              if (r === 0) {
                pipe.closeEnd('read');
                s.remove(d.id);
              } else if (typeof r === 'number') {
                read += r;
                s.makeRunnable(d.id);
              } else {
                s.block(d.id, { on: [waitOn(pipe.readWait)], reason: 'read pipe:[1]' });
              }
            }
          }
          expect(read).toBe(total);
          expect(s.size).toBe(0);
        },
      ),
      { numRuns: runs },
    );
  });
});
