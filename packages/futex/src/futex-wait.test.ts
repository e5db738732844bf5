import { describe, expect, it } from 'vitest';
import { Errno } from '@tskern/abi';
import { privateFutexKey } from './futex-key';
import { FutexTable } from './futex-table';
import { futexCheckValue, futexWait } from './futex-wait';
import { FutexWaiter } from './futex-waiter';
import { FlatUserMemory } from './testing/flat-user-memory';

describe('futexWait', () => {
  const mem = new FlatUserMemory(0x1000, 16);
  const key = privateFutexKey({}, 0x1000);

  it('queues only when the word holds the expected value', () => {
    const t = new FutexTable();
    mem.writeU32(0x1000, 0xfffffffe);
    expect(futexWait(t, mem, key, 0x1000, 1, 0xffffffff)).toBe(-Errno.EAGAIN);
    const w = futexWait(t, mem, key, 0x1000, -2, 0xffffffff); // the value as the int the syscall got
    expect(w).toBeInstanceOf(FutexWaiter);
    expect(t.waiters(key)).toBe(1);
  });

  it('answers EFAULT for an unreadable word and EINVAL for an empty bitset', () => {
    const t = new FutexTable();
    expect(futexWait(t, mem, key, 0x5000, 0, 1)).toBe(-Errno.EFAULT);
    expect(futexWait(t, mem, key, 0x1000, 0, 0)).toBe(-Errno.EINVAL);
    expect(t.keyCount).toBe(0);
  });

  it('checks the FUTEX_CMP_REQUEUE value', () => {
    mem.writeU32(0x1004, 7);
    expect(futexCheckValue(mem, 0x1004, 7)).toBe(0);
    expect(futexCheckValue(mem, 0x1004, 8)).toBe(-Errno.EAGAIN);
    expect(futexCheckValue(mem, 0x9004, 8)).toBe(-Errno.EFAULT);
  });
});
