import { O, PAGE_SIZE } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { Credentials, Vfs } from '@tskern/vfs';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { RamFile, RamFs } from './index';

type Op =
  | { kind: 'write'; pos: number; len: number; byte: number }
  | { kind: 'truncate'; size: number }
  | { kind: 'punch'; pos: number; len: number }
  | { kind: 'fault'; page: number };

const LIMIT = 6 * PAGE_SIZE;
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), pos: fc.nat(LIMIT), len: fc.integer({ min: 1, max: 2 * PAGE_SIZE }), byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), size: fc.nat(LIMIT) }),
  fc.record({ kind: fc.constant('punch' as const), pos: fc.nat(LIMIT), len: fc.nat(2 * PAGE_SIZE) }),
  fc.record({ kind: fc.constant('fault' as const), page: fc.nat(8) }),
);

describe('RamFile against a byte-array model', () => {
  it('reads what was written, holes read zero, frames match resident pages and all return at the end', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const frames = new ArenaFrameAllocator({ frames: 64 });
        const fs = new RamFs({ frames });
        const vfs = new Vfs(fs);
        const task = { fs: vfs.newFsContext(), cred: Credentials.root() };
        const f = vfs.open(task, '/f', O.O_CREAT | O.O_RDWR, 0o644);
        if (typeof f === 'number') throw new Error('open');
        const file = f.inode as RamFile;
        let model = new Uint8Array(0);
        for (const o of ops) {
          if (o.kind === 'write') {
            expect(f.pwrite(new Uint8Array(o.len).fill(o.byte), 0, o.len, o.pos)).toBe(o.len);
            if (o.pos + o.len > model.length) {
              const m = new Uint8Array(o.pos + o.len);
              m.set(model);
              model = m;
            }
            model.fill(o.byte, o.pos, o.pos + o.len);
          } else if (o.kind === 'truncate') {
            expect(f.truncate(o.size, task.cred)).toBe(0);
            const m = new Uint8Array(o.size);
            m.set(model.subarray(0, Math.min(o.size, model.length)));
            model = m;
          } else if (o.kind === 'punch') {
            expect(file.punchHole(o.pos, o.len)).toBe(0);
            model.fill(0, Math.min(o.pos, model.length), Math.min(o.pos + o.len, model.length));
          } else {
            const r = file.translate(o.page * PAGE_SIZE, false);
            expect(r >= 0).toBe(o.page * PAGE_SIZE < Math.ceil(model.length / PAGE_SIZE) * PAGE_SIZE);
          }
          expect(file.size()).toBe(model.length);
          expect(frames.stats().usedFrames).toBe(file.residentPages());
        }
        const got = new Uint8Array(model.length);
        expect(f.pread(got, 0, got.length, 0)).toBe(model.length);
        // Buffer.compare: toEqual on byte arrays dominates the run time.
        expect(Buffer.compare(got, model)).toBe(0);
        expect(vfs.unlink(task, '/f')).toBe(0);
        f.decRef();
        expect(frames.stats().usedFrames).toBe(0);
      }),
      { numRuns: propertyRuns(50) },
    );
  }, testTimeout(60_000));
});
