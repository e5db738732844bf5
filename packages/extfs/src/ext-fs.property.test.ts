import { S } from '@tskern/abi';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import type { ExtInode } from './ext-inode';
import { fixtureImage } from './testing/fixture';
import { fsck, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';
import { mountImage, readAll, rootCaller, walk } from './testing/mounted';

const FILE = { mode: S.S_IFREG | 0o644, uid: 0, gid: 0 };
const NAMES = ['a', 'b', 'c', 'd'];

type Op =
  | { kind: 'create'; name: string }
  | { kind: 'write'; name: string; offset: number; length: number; fill: number }
  | { kind: 'truncate'; name: string; size: number }
  | { kind: 'unlink'; name: string }
  | { kind: 'remount' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({
    kind: fc.constant('write' as const),
    name: fc.constantFrom(...NAMES),
    offset: fc.integer({ min: 0, max: 400 * 1024 }), // past 12 + 256 blocks: double indirect with 1 KiB blocks
    length: fc.integer({ min: 1, max: 20 * 1024 }),
    fill: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), name: fc.constantFrom(...NAMES), size: fc.integer({ min: 0, max: 420 * 1024 }) }),
  fc.record({ kind: fc.constant('unlink' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('remount' as const) }),
);

/**
 * Random create/write/truncate/unlink sequences (with remounts between)
 * against a model of byte arrays: every file reads as the model says, and
 * the image stays clean for e2fsck.
 */
/** The committed ext4 image, and when mke2fs is there ext2 and ext3 ones (block maps) with 1 KiB blocks. */
function images(): { name: string; flavour: 'ext2' | 'ext3' | 'ext4'; image: Uint8Array }[] {
  const out: { name: string; flavour: 'ext2' | 'ext3' | 'ext4'; image: Uint8Array }[] = [{ name: 'ext4 (committed image)', flavour: 'ext4', image: fixtureImage() }];
  if (!haveE2fsprogs) return out;
  const { dir, cleanup } = scratch();
  try {
    for (const flavour of ['ext2', 'ext3'] as const) out.push({ name: `${flavour} (mke2fs -b 1024)`, flavour, image: makeImage(dir, 4096, ['-t', flavour, '-b', '1024']) });
  } finally {
    cleanup();
  }
  return out;
}

describe.each(images())('$name against a model', ({ flavour, image }) => {
  it('file contents follow the model through remounts; e2fsck -fn finds the image clean', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        let mounted = mountImage(image.slice(), flavour);
        const model = new Map<string, Uint8Array>();
        for (const o of ops) {
          const fs = mounted.fs;
          if (o.kind === 'remount') {
            fs.shutdown();
            mounted = mountImage(mounted.device.image, flavour);
            continue;
          }
          const have = model.get(o.name);
          if (o.kind === 'create') {
            if (have !== undefined) continue;
            expect(typeof fs.create!(fs.root(), o.name, FILE)).toBe('object');
            model.set(o.name, new Uint8Array(0));
            continue;
          }
          if (have === undefined) continue;
          const file = walk(fs, o.name);
          if (o.kind === 'unlink') {
            expect(fs.unlink!(fs.root(), o.name)).toBe(0);
            model.delete(o.name);
          } else if (o.kind === 'truncate') {
            expect(file.setattr({ size: o.size })).toBe(0);
            const next = new Uint8Array(o.size);
            next.set(have.subarray(0, o.size));
            model.set(o.name, next);
          } else {
            const data = new Uint8Array(o.length).fill(o.fill);
            expect((file as ExtInode).write(o.offset, data, 0, o.length)).toBe(o.length);
            const next = new Uint8Array(Math.max(have.length, o.offset + o.length));
            next.set(have);
            next.set(data, o.offset);
            model.set(o.name, next);
          }
        }
        for (const [name, bytes] of model) expect(readAll(walk(mounted.fs, name))).toEqual(bytes);
        expect([...mounted.fs.readdir(mounted.fs.root(), 2, rootCaller)].map((e) => e.name).filter((n) => NAMES.includes(n)).sort()).toEqual([...model.keys()].sort());
        mounted.fs.shutdown();
        if (haveE2fsprogs) {
          const check = fsck(mounted.device.image);
          expect(check.output).not.toMatch(/\?|Fix/);
          expect(check.status).toBe(0);
        }
      }),
      { numRuns: propertyRuns(10) },
    );
  }, testTimeout(60_000));
});
