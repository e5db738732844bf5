import { describe, expect, it } from 'vitest';
import { DX_HASH, dirHash } from './dir-hash';
import { debugfs, haveE2fsprogs, makeImage, scratch } from './testing/host-tools';

const SEED = 'fedcba98-7654-3210-0f1e-2d3c4b5a6978';
/** The seed's four words as the superblock stores them (s_hash_seed, little-endian u32s of the UUID bytes). */
const SEED_WORDS = [0x98badcfe, 0x10325476, 0x3c2d1e0f, 0x78695a4b];
const NAMES = ['a', 'hello', 'entry-with-a-longish-name-321', 'caf\u00e9-\u00ff', 'x'.repeat(70), 'y'.repeat(33)];
const ALGS: [string, number][] = [
  ['legacy', DX_HASH.LEGACY],
  ['half_md4', DX_HASH.HALF_MD4],
  ['tea', DX_HASH.TEA],
  // e2p knows no names for the unsigned variants: debugfs takes their numbers.
  ['3', DX_HASH.LEGACY_UNSIGNED],
  ['4', DX_HASH.HALF_MD4_UNSIGNED],
  ['5', DX_HASH.TEA_UNSIGNED],
];

describe('dirHash (ext4fs_dirhash)', () => {
  it.skipIf(!haveE2fsprogs)('matches debugfs dx_hash for every algorithm, seeded and not, signed and unsigned chars', () => {
    const { dir, cleanup } = scratch();
    try {
      const image = makeImage(dir, 1024, ['-t', 'ext4']);
      for (const [alg, version] of ALGS) {
        for (const name of NAMES) {
          const bytes = new Uint8Array(Buffer.from(name, 'utf8')); // debugfs gets the name's UTF-8 bytes
          const quoted = `"${name}"`;
          for (const seeded of [false, true]) {
            const out = debugfs(image, `dx_hash -h ${alg}${seeded ? ` -s ${SEED}` : ''} ${quoted}`).toString();
            const m = /is 0x([0-9a-f]+)/.exec(out);
            if (m === null) throw new Error(`debugfs: ${out}`);
            // Without -s debugfs hashes with a zero seed (the MD4 start).
            expect([alg, name, seeded, dirHash(bytes, version, seeded ? SEED_WORDS : [0, 0, 0, 0])]).toEqual([alg, name, seeded, parseInt(m[1]!, 16)]);
          }
        }
      }
    } finally {
      cleanup();
    }
  });

  it('knows no siphash: null', () => {
    expect(dirHash(new Uint8Array([0x61]), 6, [0, 0, 0, 0])).toBeNull();
  });
});
