import { Errno } from '@tskern/abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getrandom, getrandomCount, GRND } from './getrandom';
import { CryptoRandomSource, SeededRandomSource } from './random-source';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 50);

describe('random sources', () => {
  it('a seeded source repeats for one seed, differs between seeds', () => {
    const take = (seed: number): number[] => {
      const b = new Uint8Array(32);
      new SeededRandomSource(seed).fill(b, 0, 32);
      return [...b];
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it('property: fill writes exactly the asked range, whatever the split', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), (offset, length, after) => {
        const b = new Uint8Array(offset + length + after).fill(0xaa);
        new SeededRandomSource(offset * 1000 + length).fill(b, offset, length);
        expect(b.subarray(0, offset).every((x) => x === 0xaa)).toBe(true);
        expect(b.subarray(offset + length).every((x) => x === 0xaa)).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('the crypto source fills more than one getRandomValues call can', () => {
    const b = new Uint8Array(70_000);
    new CryptoRandomSource().fill(b, 0, b.length);
    expect(b.subarray(66_000).some((x) => x !== 0)).toBe(true);
  });
});

describe('getrandom', () => {
  it('checks flags as Linux: unknown flags and INSECURE|RANDOM are EINVAL', () => {
    const src = new SeededRandomSource(3);
    const b = new Uint8Array(16);
    expect(getrandom(src, b, 0, 16, 0)).toBe(16);
    expect(getrandom(src, b, 0, 16, GRND.GRND_NONBLOCK | GRND.GRND_RANDOM)).toBe(16);
    expect(getrandom(src, b, 0, 16, GRND.GRND_INSECURE)).toBe(16);
    expect(getrandom(src, b, 0, 16, GRND.GRND_INSECURE | GRND.GRND_RANDOM)).toBe(-Errno.EINVAL);
    expect(getrandom(src, b, 0, 16, 0x8)).toBe(-Errno.EINVAL);
    expect(getrandom(src, b, 0, 0, 0)).toBe(0);
    expect(getrandomCount(2 ** 40, 0)).toBe(0x7fff_ffff);
  });
});
