import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Where random bytes come from: /dev/urandom, /dev/random and getrandom(2)
 * read it. The default is the host's CSPRNG; tests use a seeded one so runs
 * repeat.
 */
export interface RandomSource {
  /** Fill `dst[offset, offset + length)` with random bytes. */
  fill(dst: Uint8Array, offset: number, length: number): void;
}

/** crypto.getRandomValues gives at most 65536 bytes per call (QuotaExceededError above). */
const CRYPTO_MAX = 65536;

/** The host's CSPRNG (`crypto.getRandomValues`, in browsers and Node alike). */
export class CryptoRandomSource implements RandomSource {
  fill(dst: Uint8Array, offset: number, length: number): void {
    for (let done = 0; done < length; done += CRYPTO_MAX) {
      crypto.getRandomValues(dst.subarray(offset + done, offset + Math.min(length, done + CRYPTO_MAX)));
    }
  }
}

/**
 * A deterministic source for tests and reproducible scenarios:
 * xoroshiro128+ (pure-rand) from a seed. Not for secrets.
 */
export class SeededRandomSource implements RandomSource {
  private readonly rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  fill(dst: Uint8Array, offset: number, length: number): void {
    let i = 0;
    while (i < length) {
      let word = this.rng.next();
      for (let k = 0; k < 4 && i < length; k++, i++) {
        dst[offset + i] = word & 0xff;
        word >>>= 8;
      }
    }
  }
}
