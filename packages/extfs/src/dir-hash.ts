/**
 * The htree name hashes (fs/ext4/hash.c ext4fs_dirhash): legacy
 * (dx_hack_hash), half-MD4 and TEA, each with the bytes of the name read as
 * signed or unsigned chars (the superblock's EXT2_FLAGS_SIGNED_HASH /
 * UNSIGNED_HASH says which char the making host had). Everything is 32-bit
 * unsigned arithmetic; the result has its low bit clear (the bit index
 * entries use to mark a hash continued in the next leaf).
 */

/** dx_root_info.hash_version (DX_HASH_*); the unsigned variants are the signed ones + 3. */
export const DX_HASH = { LEGACY: 0, HALF_MD4: 1, TEA: 2, LEGACY_UNSIGNED: 3, HALF_MD4_UNSIGNED: 4, TEA_UNSIGNED: 5 } as const;

/** EXT4_HTREE_EOF_32BIT: the hash never used for a name (readdir's end). */
const HTREE_EOF_32 = 0x7fffffff;

const rol = (x: number, s: number): number => ((x << s) | (x >>> (32 - s))) >>> 0;

/** A byte of the name as the hash reads it: a signed char sign-extends. */
const charOf = (b: number, signed: boolean): number => (signed && b >= 0x80 ? b - 0x100 : b);

/** dx_hack_hash: the legacy hash. */
function legacy(name: Uint8Array, signed: boolean): number {
  let hash0 = 0x12a3fe2d;
  let hash1 = 0x37abe8f9;
  for (const b of name) {
    let hash = (hash1 + ((hash0 ^ Math.imul(charOf(b, signed), 7152373)) >>> 0)) >>> 0;
    if ((hash & 0x80000000) !== 0) hash = (hash - 0x7fffffff) >>> 0;
    hash1 = hash0;
    hash0 = hash;
  }
  return (hash0 << 1) >>> 0;
}

/** str2hashbuf: up to `num` words of the name from `at`, padded with a word made of the length. */
function hashBuf(name: Uint8Array, at: number, num: number, signed: boolean): number[] {
  let len = name.length - at;
  let pad = (len | (len << 8)) >>> 0;
  pad = (pad | (pad << 16)) >>> 0;
  let val = pad;
  const out: number[] = [];
  if (len > num * 4) len = num * 4;
  for (let i = 0; i < len; i++) {
    val = (charOf(name[at + i]!, signed) + ((val << 8) >>> 0)) >>> 0;
    if (i % 4 === 3) {
      out.push(val);
      val = pad;
    }
  }
  if (out.length < num) out.push(val);
  while (out.length < num) out.push(pad);
  return out;
}

/** half_md4_transform (lib: the three MD4 rounds on 8 words). */
function halfMd4(buf: number[], x: number[]): void {
  let [a, b, c, d] = buf as [number, number, number, number];
  const F = (p: number, q: number, r: number): number => r ^ (p & (q ^ r));
  const G = (p: number, q: number, r: number): number => ((p & q) + ((p ^ q) & r)) >>> 0;
  const H = (p: number, q: number, r: number): number => p ^ q ^ r;
  const steps: [typeof F, number, number, number][] = [
    [F, 0, 3, 0], [F, 1, 7, 0], [F, 2, 11, 0], [F, 3, 19, 0], [F, 4, 3, 0], [F, 5, 7, 0], [F, 6, 11, 0], [F, 7, 19, 0],
    [G, 1, 3, 0x5a827999], [G, 3, 5, 0x5a827999], [G, 5, 9, 0x5a827999], [G, 7, 13, 0x5a827999],
    [G, 0, 3, 0x5a827999], [G, 2, 5, 0x5a827999], [G, 4, 9, 0x5a827999], [G, 6, 13, 0x5a827999],
    [H, 3, 3, 0x6ed9eba1], [H, 7, 9, 0x6ed9eba1], [H, 2, 11, 0x6ed9eba1], [H, 6, 15, 0x6ed9eba1],
    [H, 1, 3, 0x6ed9eba1], [H, 5, 9, 0x6ed9eba1], [H, 0, 11, 0x6ed9eba1], [H, 4, 15, 0x6ed9eba1],
  ];
  for (const [f, i, s, k] of steps) {
    // ROUND(f, a, b, c, d, x + k, s), the registers rotating a <- d <- c <- b.
    const t = rol((a + f(b, c, d) + x[i]! + k) >>> 0, s);
    a = d;
    d = c;
    c = b;
    b = t;
  }
  // After 24 steps (a multiple of 4) the rotation is back where it started.
  buf[0] = (buf[0]! + a) >>> 0;
  buf[1] = (buf[1]! + b) >>> 0;
  buf[2] = (buf[2]! + c) >>> 0;
  buf[3] = (buf[3]! + d) >>> 0;
}

/** TEA_transform: 16 rounds of the Tiny Encryption Algorithm over buf[0..1]. */
function tea(buf: number[], x: number[]): void {
  let sum = 0;
  let b0 = buf[0]!;
  let b1 = buf[1]!;
  const [a, b, c, d] = x as [number, number, number, number];
  for (let n = 0; n < 16; n++) {
    sum = (sum + 0x9e3779b9) >>> 0;
    b0 = (b0 + ((((b1 << 4) >>> 0) + a) ^ (b1 + sum) ^ ((b1 >>> 5) + b))) >>> 0;
    b1 = (b1 + ((((b0 << 4) >>> 0) + c) ^ (b0 + sum) ^ ((b0 >>> 5) + d))) >>> 0;
  }
  buf[0] = (buf[0]! + b0) >>> 0;
  buf[1] = (buf[1]! + b1) >>> 0;
}

/**
 * ext4fs_dirhash: the major hash of `name` under `version` (DX_HASH_*,
 * unsigned variants included) with the superblock's s_hash_seed (four
 * words; all zero means the default MD4 start), or null for a version this
 * package does not know (siphash of casefolded directories).
 */
export function dirHash(name: Uint8Array, version: number, seed: readonly number[]): number | null {
  if (version > DX_HASH.TEA_UNSIGNED) return null;
  const signed = version < DX_HASH.LEGACY_UNSIGNED;
  let hash: number;
  switch (version % 3) {
    case DX_HASH.LEGACY:
      hash = legacy(name, signed);
      break;
    case DX_HASH.HALF_MD4:
    case DX_HASH.TEA: {
      const buf = seed.some((w) => w !== 0) ? [...seed] : [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
      const md4 = version % 3 === DX_HASH.HALF_MD4;
      const step = md4 ? 32 : 16;
      for (let at = 0; at < name.length; at += step) {
        const words = hashBuf(name, at, md4 ? 8 : 4, signed);
        if (md4) halfMd4(buf, words);
        else tea(buf, words);
      }
      hash = md4 ? buf[1]! : buf[0]!;
      break;
    }
    default:
      return null;
  }
  hash = (hash & ~1) >>> 0;
  if (hash === (HTREE_EOF_32 << 1) >>> 0) hash = ((HTREE_EOF_32 - 1) << 1) >>> 0;
  return hash;
}
