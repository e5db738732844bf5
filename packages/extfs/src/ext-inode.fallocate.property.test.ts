import { Errno, S } from '@tskern/abi';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const BS = 1024;

type Op =
  | { kind: 'write'; offset: number; length: number; fill: number }
  | { kind: 'range'; mode: 'punch' | 'zero' | 'zero-keep'; offset: number; length: number }
  | { kind: 'shift'; insert: boolean; block: number; blocks: number }
  | { kind: 'sync' };

const range = { offset: fc.integer({ min: 0, max: 96 * BS }), length: fc.integer({ min: 1, max: 24 * BS }) };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), ...range, fill: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('range' as const), mode: fc.constantFrom('punch' as const, 'zero' as const, 'zero-keep' as const), ...range }),
  fc.record({ kind: fc.constant('shift' as const), insert: fc.boolean(), block: fc.integer({ min: 0, max: 96 }), blocks: fc.integer({ min: 1, max: 24 }) }),
  fc.record({ kind: fc.constant('sync' as const) }),
);

/** The model's bytes with [at, at + n) zeroed, grown to `size` when larger. */
function zeroed(have: Uint8Array, at: number, n: number, size: number): Uint8Array {
  const next = new Uint8Array(Math.max(have.length, size));
  next.set(have);
  next.fill(0, Math.min(at, have.length), Math.min(at + n, have.length));
  return next;
}

/**
 * Random writes, hole punches, zeroed ranges, collapses and inserts on one
 * extent file against a byte-array model (punched and zeroed bytes read 0,
 * a collapse removes its bytes, an insert adds zeros; EINVAL where the
 * range is not inside the file): the file reads as the model says and the
 * image stays clean for e2fsck -fn.
 */
describe('fallocate modes against a model', () => {
  it.skipIf(!haveE2fsprogs)('contents follow the model; e2fsck -fn finds the image clean', () => {
    const { dir, cleanup } = scratch();
    let image: Uint8Array;
    try {
      image = makeImage(dir, 4096, ['-t', 'ext4', '-b', '1024']);
    } finally {
      cleanup();
    }
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const { fs, device } = mountImage(image.slice());
        fs.create!(fs.root(), 'f', FILE);
        const file = walk(fs, 'f');
        let model: Uint8Array = new Uint8Array(0);
        for (const o of ops) {
          if (o.kind === 'sync') {
            expect(fs.sync()).toBe(0);
          } else if (o.kind === 'write') {
            expect(file.write(o.offset, new Uint8Array(o.length).fill(o.fill), 0, o.length)).toBe(o.length);
            const next = new Uint8Array(Math.max(model.length, o.offset + o.length));
            next.set(model);
            next.fill(o.fill, o.offset, o.offset + o.length);
            model = next;
          } else if (o.kind === 'range' && o.mode === 'punch') {
            expect(file.fallocate(0x03, o.offset, o.length)).toBe(0);
            model = zeroed(model, o.offset, o.length, 0);
          } else if (o.kind === 'range') {
            const keep = o.mode === 'zero-keep';
            expect(file.fallocate(keep ? 0x11 : 0x10, o.offset, o.length)).toBe(0);
            model = zeroed(model, o.offset, o.length, keep ? 0 : o.offset + o.length);
          } else {
            const at = o.block * BS;
            const n = o.blocks * BS;
            const insert = o.insert;
            const fits = insert ? at < model.length : at + n < model.length;
            expect((file as ExtInode).fallocate(insert ? 0x20 : 0x08, at, n)).toBe(fits ? 0 : -Errno.EINVAL);
            if (!fits) continue;
            const next = new Uint8Array(model.length + (insert ? n : -n));
            next.set(model.subarray(0, at));
            if (insert) next.set(model.subarray(at), at + n);
            else next.set(model.subarray(at + n), at);
            model = next;
          }
          expect(file.size()).toBe(model.length);
        }
        expect(readAll(file)).toEqual(model);
        fs.shutdown();
        const check = fsck(device.image);
        expect(check.output).not.toMatch(/\?|Fix/);
        expect(check.status).toBe(0);
      }),
      { numRuns: propertyRuns(15) },
    );
  }, testTimeout(60_000));
});
