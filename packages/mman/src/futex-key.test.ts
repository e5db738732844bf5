import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT } from '@tskern/abi';
import type { MmapSource } from '@tskern/mm-api';
import type { AddressSpace } from './address-space';
import { forkAddressSpace } from './fork';
import { futexKeyOf } from './futex-key';
import { mmap } from './mmap';
import { mprotect } from './mprotect';
import { munmap } from './munmap';
import { poke, testMemory } from './test-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const K = 4096;

/** A key as a printable triple, naming its object (address spaces are too big to diff). */
function keyOf(as: AddressSpace, addr: number, privateFutex: boolean, names: Map<object, string>): string | number {
  const k = futexKeyOf(as, addr, privateFutex);
  if (typeof k === 'number') return k;
  return `${k.shared ? 'shared' : 'private'} ${names.get(k.object) ?? '?'} ${k.offset.toString(16)}`;
}

function world() {
  const mem = testMemory();
  // A shm-like object: the standalone shared anonymous object is a Mappable like any file.
  const object = mem.options.sharedAnonymous(4 * K) as MmapSource;
  return { ...mem, object };
}

describe('futexKeyOf', () => {
  it('answers EINVAL for a misaligned address, below and above 2^31, before EFAULT; an aligned one unmapped is EFAULT', () => {
    const { space } = world();
    const as = space();
    for (const hi of [0, 2 ** 31, 2 ** 33, 2 ** 37]) {
      for (const off of [1, 2, 3, 0.5]) expect(futexKeyOf(as, hi + 0x1000 + off, false)).toBe(-Errno.EINVAL);
      expect(futexKeyOf(as, hi + 0x1000, false)).toBe(-Errno.EFAULT);
    }
    expect(futexKeyOf(as, -4, true)).toBe(-Errno.EFAULT);
    expect(futexKeyOf(as, -3, true)).toBe(-Errno.EINVAL);
  });

  it('gives two spaces mapping one object at different addresses the same shared key', () => {
    const { space, object } = world();
    const a = space();
    const b = space();
    const names = new Map<object, string>([[a, 'A'], [b, 'B'], [object.mappable ?? object, 'obj']]);
    const pa = mmap(a, 0, 2 * K, RW, MAP.MAP_SHARED, object, K);
    mmap(b, 0, 5 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0); // shift b's next placement
    const pb = mmap(b, 0, 3 * K, RW, MAP.MAP_SHARED, object, 0);
    expect(pa).not.toBe(pb + K);
    expect(keyOf(a, pa + 0x10, false, names)).toBe('shared obj 1010');
    expect(keyOf(b, pb + K + 0x10, false, names)).toBe('shared obj 1010');
    // FUTEX_PRIVATE_FLAG keys by space and address instead
    expect(keyOf(a, pa + 0x10, true, names)).toBe(`private A ${(pa + 0x10).toString(16)}`);
  });

  it('keys shared anonymous memory by object across fork, private anonymous memory by space', () => {
    const { space } = world();
    const parent = space();
    const sh = mmap(parent, 0, K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, null, 0);
    const pr = mmap(parent, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const child = forkAddressSpace(parent);
    const shared = futexKeyOf(parent, sh + 8, false);
    const names = new Map<object, string>([[parent, 'P'], [child, 'C']]);
    if (typeof shared === 'object') names.set(shared.object, 'anon');
    expect(keyOf(parent, sh + 8, false, names)).toBe('shared anon 8');
    expect(keyOf(child, sh + 8, false, names)).toBe('shared anon 8');
    expect(keyOf(parent, pr + 8, false, names)).toBe(`private P ${(pr + 8).toString(16)}`);
    expect(keyOf(child, pr + 8, false, names)).toBe(`private C ${(pr + 8).toString(16)}`);
  });

  it('keys a writable MAP_PRIVATE file mapping privately, a read-only one by the page cache until copied', () => {
    const { space, object } = world();
    const as = space();
    const names = new Map<object, string>([[as, 'A'], [object.mappable ?? object, 'obj']]);
    const w = mmap(as, 0, K, RW, MAP.MAP_PRIVATE, object, 0);
    expect(keyOf(as, w, false, names)).toBe(`private A ${w.toString(16)}`);
    const r = mmap(as, 0, K, PROT.PROT_READ, MAP.MAP_PRIVATE, object, 2 * K);
    expect(keyOf(as, r + 4, false, names)).toBe('shared obj 2004');
    expect(poke(as, w, 'x')).toBe(0); // copy-on-write: the page is now anonymous
    expect(mprotect(as, w, K, PROT.PROT_READ)).toBe(0);
    expect(keyOf(as, w, false, names)).toBe(`private A ${w.toString(16)}`);
  });

  it('answers EINVAL for a misaligned word and EFAULT where the page cannot be reached', () => {
    const { space, object } = world();
    const as = space();
    const names = new Map<object, string>([[as, 'A']]);
    const a = mmap(as, 0, 2 * K, RW, MAP.MAP_SHARED, object, 3 * K);
    expect(futexKeyOf(as, a + 2, false)).toBe(-Errno.EINVAL);
    expect(futexKeyOf(as, a + 2, true)).toBe(-Errno.EINVAL);
    expect(futexKeyOf(as, a + K, false)).toBe(-Errno.EFAULT); // wholly past the 4-page object
    const none = mmap(as, 0, K, PROT.PROT_NONE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(futexKeyOf(as, none, false)).toBe(-Errno.EFAULT);
    expect(munmap(as, a, 2 * K)).toBe(0);
    expect(futexKeyOf(as, a, false)).toBe(-Errno.EFAULT);
    // a private futex does not look at the mapping (get_futex_key's fast path)
    expect(keyOf(as, a, true, names)).toBe(`private A ${a.toString(16)}`);
    expect(futexKeyOf(as, as.options.taskSize - 4, true)).not.toBe(-Errno.EFAULT);
    expect(futexKeyOf(as, as.options.taskSize, true)).toBe(-Errno.EFAULT);
  });
});
