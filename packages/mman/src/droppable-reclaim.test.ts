import { describe, expect, it } from 'vitest';
import { MAP, PROT, Signal } from '@tskern/abi';
import type { ChargeKind, MemoryCharger } from '@tskern/mm-api';
import { reclaimDroppable } from './droppable-reclaim';
import { mincore } from './mincore';
import { mmap } from './mmap';
import { peek, poke, testMemory } from './test-kit';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const K = 4096;

describe('reclaimDroppable', () => {
  it('frees the picked pages of MAP_DROPPABLE mappings only; they read back as zeros and mincore shows them gone', () => {
    const { space, alloc } = testMemory();
    const as = space();
    const drop = mmap(as, 0, 4 * K, RW, MAP.MAP_ANONYMOUS | MAP.MAP_DROPPABLE, null, 0);
    const plain = mmap(as, 0, 2 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    for (let i = 0; i < 4; i++) poke(as, drop + i * K, 'A');
    for (let i = 0; i < 2; i++) poke(as, plain + i * K, 'B');
    const used = alloc.stats().usedFrames;
    expect(reclaimDroppable(as, () => true, 3)).toBe(3);
    expect(alloc.stats().usedFrames).toBe(used - 3);
    const vec = new Uint8Array(4);
    expect(mincore(as, drop, 4 * K, vec)).toBe(0);
    expect([...vec].map((v) => v & 1)).toEqual([0, 0, 0, 1]);
    expect(peek(as, drop, 1)).toBe('\0');
    expect(peek(as, drop + 3 * K, 1)).toBe('A');
    expect(peek(as, plain + K, 1)).toBe('B');
    expect(reclaimDroppable(as, () => false, 10)).toBe(0);
  });
});

describe('memory charging at fault', () => {
  it('charges each frame a fault maps, with its kind, and answers SIGBUS when the charge fails', () => {
    const charged: ChargeKind[] = [];
    let allow = true;
    const charger: MemoryCharger = {
      charge: (_space, _frame, kind) => {
        if (allow) charged.push(kind);
        return allow;
      },
    };
    const { space, alloc } = testMemory({ charger });
    const as = space();
    const a = mmap(as, 0, 2 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(poke(as, a, 'x')).toBe(0);
    expect(charged).toEqual(['anon']);
    allow = false;
    const used = alloc.stats().usedFrames;
    expect(poke(as, a + K, 'y')).toBe(Signal.SIGBUS);
    expect(alloc.stats().usedFrames).toBe(used);
    expect(as.pt.resident).toBe(1);
  });
});
