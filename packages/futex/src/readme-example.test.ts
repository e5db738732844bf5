import { describe, expect, it } from 'vitest';
import { FutexTable, futexWait, sharedFutexKey, type FutexUserMemory } from './index';

describe('README example', () => {
  it('runs as written', () => {
    const word = new Uint32Array(1);
    const memory: FutexUserMemory = {
      readU32: () => word[0]!,
      cmpxchgU32: (_addr, expected, desired) => {
        const cur = word[0]!;
        if (cur === expected) word[0] = desired;
        return cur;
      },
    };
    const table = new FutexTable();
    const shm = {};
    const heard: string[] = [];
    futexWait(table, memory, sharedFutexKey(shm, 16), 0x7000_0010, 0, 0xffffffff, (_w, why) => heard.push(`A: ${why}`));
    expect(table.wake(sharedFutexKey(shm, 16), 1)).toBe(1);
    expect(heard).toEqual(['A: woken']);
  });
});
