import { MAP, PAGE_SIZE, PROT, Signal } from '@tskern/abi';
import { AddressSpace, fill, memoryOptions, mincore, mmap, munmap, reclaimDroppable, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { CgroupHierarchy, ChargedFrameAllocator } from './index';
import { FakeCgroupHost } from './testing/fake-host';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const K = PAGE_SIZE;

/** A hierarchy over real address spaces: each process of the fake host owns one. */
function setup() {
  const host = new FakeCgroupHost();
  const hierarchy = new CgroupHierarchy(host);
  const raw = new ArenaFrameAllocator({ frames: 1024 });
  const frames = new ChargedFrameAllocator(raw, hierarchy);
  const options = memoryOptions(frames, standaloneSharedAnonymous(frames), { charger: hierarchy });
  const spaces: AddressSpace[] = [];
  host.reclaimer = (wanted, limit) => {
    let freed = 0;
    for (const s of spaces) freed += reclaimDroppable(s, wanted, limit - freed);
    return freed;
  };
  const spawn = (pid: number): AddressSpace => {
    const space = new AddressSpace(options);
    spaces.push(space);
    host.table.set(pid, { residentPages: 0, scoreAdj: 0, space });
    hierarchy.processStarted(pid);
    return space;
  };
  const group = hierarchy.makeGroup(hierarchy.root, 'g');
  if (typeof group === 'number') throw new Error('mkdir');
  expect(hierarchy.writeSubtreeControl(hierarchy.root, '+memory')).toBe(0);
  return { host, hierarchy, raw, spawn, group, spaces };
}

describe('memory charging', () => {
  it('charges faulted frames to the group, hierarchically, and uncharges them when freed', () => {
    const { hierarchy, spawn, group } = setup();
    const as = spawn(10);
    expect(hierarchy.moveProcess(group, 10, undefined)).toBe(0);
    const a = mmap(as, 0, 4 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(fill(as, a, 3 * K, 1)).toBe(0);
    expect(group.memory.usage).toBe(3);
    expect(group.memory.anon).toBe(3);
    expect(hierarchy.root.memory.usage).toBe(3);
    // Charges stay where they were made when the process moves on.
    expect(hierarchy.moveProcess(hierarchy.root, 10, undefined)).toBe(0);
    expect(group.memory.usage).toBe(3);
    expect(munmap(as, a, 4 * K)).toBe(0);
    expect(group.memory.usage).toBe(0);
    expect(hierarchy.root.memory.usage).toBe(0);
  });

  it('names the group a frame is charged to by its inode (kpagecgroup), 0 once uncharged', () => {
    const { hierarchy, spawn, group } = setup();
    const as = spawn(10);
    expect(hierarchy.moveProcess(group, 10, undefined)).toBe(0);
    const a = mmap(as, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(fill(as, a, K, 1)).toBe(0);
    const frame = as.pt.frame(a / K);
    expect(hierarchy.chargedGroupIno(frame)).toBe(group.ino);
    expect(group.ino).not.toBe(hierarchy.root.ino);
    expect(munmap(as, a, K)).toBe(0);
    expect(hierarchy.chargedGroupIno(frame)).toBe(0);
  });

  it('reclaims MAP_DROPPABLE pages at memory.max before anything else', () => {
    const { hierarchy, spawn, group } = setup();
    const as = spawn(10);
    expect(hierarchy.moveProcess(group, 10, undefined)).toBe(0);
    hierarchy.setMax(group, 8);
    const drop = mmap(as, 0, 6 * K, RW, MAP.MAP_ANONYMOUS | MAP.MAP_DROPPABLE, null, 0);
    const plain = mmap(as, 0, 6 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(fill(as, drop, 6 * K, 0x41)).toBe(0);
    expect(fill(as, plain, 6 * K, 0x42)).toBe(0);
    expect(group.memory.usage).toBeLessThanOrEqual(8);
    expect(group.memory.events.max).toBeGreaterThan(0);
    expect(group.memory.events.oom).toBe(0);
    const vec = new Uint8Array(6);
    expect(mincore(as, drop, 6 * K, vec)).toBe(0);
    expect(vec.some((v) => (v & 1) === 0)).toBe(true);
    expect(mincore(as, plain, 6 * K, vec)).toBe(0);
    expect([...vec]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('OOM-kills the largest process of the group when nothing can be reclaimed', () => {
    const { hierarchy, spawn, group, host } = setup();
    const small = spawn(10);
    const big = spawn(11);
    for (const pid of [10, 11]) expect(hierarchy.moveProcess(group, pid, undefined)).toBe(0);
    hierarchy.setMax(group, 4);
    const a = mmap(small, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const b = mmap(big, 0, 8 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(fill(small, a, K, 1)).toBe(0);
    host.table.get(10)!.residentPages = 1;
    host.table.get(11)!.residentPages = 3;
    host.onKill = (pid) => {
      if (pid === 11) big.releaseAll();
    };
    expect(fill(big, b, 3 * K, 1)).toBe(0);
    // The fourth page of the bigger process fits; the fifth needs the OOM killer, which picks it.
    expect(fill(big, b + 3 * K, 2 * K, 1)).toBe(Signal.SIGBUS);
    expect(host.killed).toEqual([11]);
    expect(group.memory.events.oom).toBe(1);
    expect(group.memory.events.oom_kill).toBe(1);
    expect(group.memory.usage).toBe(1);
  });

  it('counts oom_score_adj: -1000 is never chosen', () => {
    const { hierarchy, spawn, group, host } = setup();
    const as = spawn(10);
    expect(hierarchy.moveProcess(group, 10, undefined)).toBe(0);
    host.table.get(10)!.scoreAdj = -1000;
    hierarchy.setMax(group, 1);
    const a = mmap(as, 0, 2 * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    expect(fill(as, a, K, 1)).toBe(0);
    expect(fill(as, a + K, K, 1)).toBe(Signal.SIGBUS);
    expect(host.killed).toEqual([]);
    expect(group.memory.events.oom).toBe(1);
    expect(group.memory.events.oom_kill).toBe(0);
  });
});
