import { describe, expect, it } from 'vitest';
import { Errno } from '@tskern/abi';
import { FUTEX_OWNER_DIED, FUTEX_WAITERS, ROBUST_LIST_LIMIT } from './futex-constants';
import { privateFutexKey, type FutexKey } from './futex-key';
import { FutexTable } from './futex-table';
import { exitRobustList } from './robust-list';
import { FlatUserMemory } from './testing/flat-user-memory';

const BASE = 0x10000;
const HEAD = BASE;
// A glibc-like robust mutex: list entry at +0, lock word at +8 (futex_offset 8).
const OFFSET = 8;
const space = {};
const keyOf = (addr: number): FutexKey | number => (addr % 4 === 0 ? privateFutexKey(space, addr) : -Errno.EINVAL);

function world(entries: number[], pending = 0) {
  const mem = new FlatUserMemory(BASE, 0x10000);
  mem.writeWord(HEAD, entries.length > 0 ? entries[0]! : HEAD);
  mem.writeWord(HEAD + 8, OFFSET);
  mem.writeWord(HEAD + 16, pending);
  entries.forEach((e, i) => mem.writeWord(e, entries[i + 1] ?? HEAD));
  return mem;
}

describe('exitRobustList', () => {
  it('marks the dead owner\'s locks FUTEX_OWNER_DIED and wakes one waiter where FUTEX_WAITERS is set', () => {
    const entries = [BASE + 0x100, BASE + 0x200, BASE + 0x300];
    const mem = world(entries);
    mem.writeU32(entries[0]! + OFFSET, 42 | FUTEX_WAITERS); // ours, contended
    mem.writeU32(entries[1]! + OFFSET, 42); // ours, uncontended
    mem.writeU32(entries[2]! + OFFSET, 43 | FUTEX_WAITERS); // another thread's
    const t = new FutexTable();
    const w = [t.wait(keyOf(entries[0]! + OFFSET) as FutexKey), t.wait(keyOf(entries[0]! + OFFSET) as FutexKey)];
    const other = t.wait(keyOf(entries[2]! + OFFSET) as FutexKey);
    const r = exitRobustList(mem, HEAD, 42, t, keyOf);
    expect(r).toEqual({ visited: 3, ownerDied: 2, woken: 1 });
    expect(mem.readU32(entries[0]! + OFFSET)).toBe((FUTEX_WAITERS | FUTEX_OWNER_DIED) >>> 0);
    expect(mem.readU32(entries[1]! + OFFSET)).toBe(FUTEX_OWNER_DIED);
    expect(mem.readU32(entries[2]! + OFFSET)).toBe((43 | FUTEX_WAITERS) >>> 0);
    expect(w.map((x) => x.state)).toEqual(['woken', 'waiting']);
    expect(other.state).toBe('waiting');
  });

  it('handles list_op_pending: an untaken lock (0) wakes a waiter, an owned one is marked', () => {
    const pending = BASE + 0x400;
    const mem = world([], pending);
    const t = new FutexTable();
    const w = t.wait(keyOf(pending + OFFSET) as FutexKey);
    mem.writeU32(pending + OFFSET, 0);
    expect(exitRobustList(mem, HEAD, 42, t, keyOf)).toEqual({ visited: 1, ownerDied: 0, woken: 1 });
    expect(w.state).toBe('woken');
    mem.writeU32(pending + OFFSET, 42);
    expect(exitRobustList(mem, HEAD, 42, t, keyOf)).toMatchObject({ ownerDied: 1 });
    expect(mem.readU32(pending + OFFSET)).toBe(FUTEX_OWNER_DIED);
  });

  it('does not mark the pending entry twice when it is also on the list', () => {
    const e = BASE + 0x100;
    const mem = world([e], e);
    mem.writeU32(e + OFFSET, 42);
    expect(exitRobustList(mem, HEAD, 42, new FutexTable(), keyOf)).toEqual({ visited: 2, ownerDied: 1, woken: 0 });
  });

  it('stops after ROBUST_LIST_LIMIT entries of a circular list', () => {
    const a = BASE + 0x100;
    const b = BASE + 0x200;
    const mem = world([a, b]);
    mem.writeWord(b, a); // b -> a: a cycle that never reaches the head
    expect(exitRobustList(mem, HEAD, 42, new FutexTable(), keyOf).visited).toBe(ROBUST_LIST_LIMIT);
  });

  it('stops at a fault: an unmapped head, a misaligned or unreadable lock word', () => {
    const t = new FutexTable();
    expect(exitRobustList(new FlatUserMemory(BASE, 16), 0x90000, 1, t, keyOf)).toEqual({ visited: 0, ownerDied: 0, woken: 0 });
    const mem = world([BASE + 0x100, BASE + 0x202, BASE + 0x300]);
    mem.writeU32(BASE + 0x108, 42);
    mem.writeU32(BASE + 0x308, 42);
    // second entry's lock word is misaligned: the walk ends there
    expect(exitRobustList(mem, HEAD, 42, t, keyOf)).toMatchObject({ visited: 2, ownerDied: 1 });
    expect(mem.readU32(BASE + 0x308)).toBe(42);
  });

  it('ignores the PI bit of pointers and does not wake PI futexes', () => {
    const e = BASE + 0x100;
    const mem = world([e]);
    mem.writeWord(HEAD, e + 1);
    mem.writeU32(e + OFFSET, 42 | FUTEX_WAITERS);
    const t = new FutexTable();
    const w = t.wait(keyOf(e + OFFSET) as FutexKey);
    expect(exitRobustList(mem, HEAD, 42, t, keyOf)).toEqual({ visited: 1, ownerDied: 1, woken: 0 });
    expect(w.state).toBe('waiting');
  });
});
