import { S } from '@tskern/abi';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, rootCaller } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const DIR = { mode: S.S_IFDIR | 0o755, uid: 0, gid: 0 };

type Op = { kind: 'create' | 'unlink'; from: number; count: number; len: number } | { kind: 'rename'; from: number; to: number; len: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('create' as const, 'unlink' as const), from: fc.integer({ min: 0, max: 2000 }), count: fc.integer({ min: 1, max: 400 }), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('rename' as const), from: fc.integer({ min: 0, max: 2000 }), to: fc.integer({ min: 0, max: 2000 }), len: fc.integer({ min: 1, max: 200 }) }),
);

/** Name `i` padded to about `len` bytes (names of many sizes fill leaves unevenly). */
const nameOf = (i: number, len: number): string => `${i}-${'n'.repeat(len)}`;

/**
 * Batches of creates, unlinks and renames of names of many lengths in one
 * directory (which becomes indexed, splits leaves and grows a level)
 * against a set: every name looks up as the set says, readdir lists the
 * set, and e2fsck -fn (which checks every htree) finds the image clean.
 */
describe('htree directories against a model', () => {
  it.skipIf(!haveE2fsprogs)('names follow the model; e2fsck -fn is clean', () => {
    const { dir, cleanup } = scratch();
    let image: Uint8Array;
    try {
      image = makeImage(dir, 16 * 1024, ['-t', 'ext4', '-b', '1024', '-N', '8192']);
    } finally {
      cleanup();
    }
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const { fs, device } = mountImage(image.slice());
        const d = fs.mkdir(fs.root(), 'd', DIR) as ExtInode;
        const model = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'rename') {
            const from = nameOf(o.from, o.len);
            const to = nameOf(o.to, 200 - o.len);
            const r = fs.rename(d, from, d, to);
            expect(r).toBe(model.has(from) ? 0 : -2);
            if (r === 0) {
              model.delete(from);
              model.add(to);
            }
            continue;
          }
          for (let i = o.from; i < o.from + o.count; i++) {
            const name = nameOf(i, (i * 37 + o.len) % 200);
            if (o.kind === 'create') {
              const r = fs.create(d, name, FILE);
              expect(typeof r === 'number' ? r : 0).toBe(model.has(name) ? -17 : 0);
              model.add(name);
            } else {
              expect(fs.unlink(d, name)).toBe(model.has(name) ? 0 : -2);
              model.delete(name);
            }
          }
        }
        for (const name of model) expect(typeof fs.lookup(d, name, rootCaller)).toBe('object');
        expect([...fs.readdir(d, 2, rootCaller)].map((e) => e.name).sort()).toEqual([...model].sort());
        fs.shutdown();
        const check = fsck(device.image);
        expect(check.output).not.toMatch(/\?|Fix|HTREE/);
        expect(check.status).toBe(0);
      }),
      { numRuns: propertyRuns(6) },
    );
  }, testTimeout(60_000));
});
