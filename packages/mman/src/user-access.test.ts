import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT } from '@tskern/abi';
import { mmap } from './mmap';
import { munmap } from './munmap';
import { testMemory, poke } from './test-kit';
import { forEachUserChunk, readString } from './user-access';
import { Vma } from './vma';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

describe('forEachUserChunk', () => {
  it('hands back-to-back frames over as one run and stops at the first fault', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x700000000, 4 * 4096, RW, PRIV, null, 0);
    const runs: number[] = [];
    const total = forEachUserChunk(as, a + 100, 4 * 4096 - 100, true, (bytes, offset, n) => {
      bytes.fill(7, offset, offset + n);
      runs.push(n);
      return n;
    });
    expect(total).toBe(4 * 4096 - 100);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(total);
    expect(runs.length).toBeLessThan(4); // fresh frames from the arena lie back to back
    munmap(as, a + 2 * 4096, 4096);
    expect(forEachUserChunk(as, a, 4 * 4096, false, (_b, _o, n) => n)).toBe(2 * 4096);
    expect(forEachUserChunk(as, a + 2 * 4096, 4096, false, (_b, _o, n) => n)).toBe(-Errno.EFAULT);
    // A callback that takes less ends the walk with its count.
    expect(forEachUserChunk(as, a, 2 * 4096, false, () => 10)).toBe(10);
  });

  it('reads NUL-terminated strings across pages, and says ENAMETOOLONG and EFAULT as getname does', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0x700000000, 2 * 4096, RW, PRIV, null, 0);
    poke(as, a + 4090, 'across\0');
    expect(new TextDecoder().decode(readString(as, a + 4090, 4095) as Uint8Array)).toBe('across');
    expect(readString(as, a + 4090, 3)).toBe(-Errno.ENAMETOOLONG);
    expect(readString(as, a + 2 * 4096, 10)).toBe(-Errno.EFAULT);
  });
});

describe('Vma interning', () => {
  it('shares one object between private anonymous VMAs with equal attributes', () => {
    expect(Vma.of(RW, 7, false, null, 0, 0, null)).toBe(Vma.of(RW, 7, false, null, 0, 0, null));
    expect(Vma.of(RW, 7, false, null, 0, 0, null)).not.toBe(Vma.of(PROT.PROT_READ, 7, false, null, 0, 0, null));
    const v = Vma.of(RW, 7, false, null, 0, 0, null);
    expect(v.with({ prot: RW })).toBe(v);
    expect(v.slice(4096)).toBe(v);
  });
});
