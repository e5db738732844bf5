import { describe, expect, it } from 'vitest';
import { setInvariantChecks } from '@tskern/assert';
import { Errno, MAP, PROT, Signal } from '@tskern/abi';
import type { UserFaultAnswer, UserFaultRegistration } from '@tskern/mm-api';
import { handleFault, handleUserFault } from './fault';
import { forkAddressSpace } from './fork';
import { mmap } from './mmap';
import { mprotect } from './mprotect';
import { peek, poke, testMemory } from './test-kit';
import { fillUserFaultPages } from './userfault-fill';
import { registerUserFaults, releaseUserFaults, unregisterUserFaults } from './userfault-range';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIV = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;
const K = 4096;

/** A registration that records the faults it is asked about and answers `answer`. */
function recorder(answer: UserFaultAnswer): UserFaultRegistration & { faults: [number, boolean][] } {
  const faults: [number, boolean][] = [];
  return { faults, missing: (address, write) => (faults.push([address, write]), answer) };
}

const WAIT = { name: 'test wait', register: () => () => {} };

describe('userfaultfd registrations on VMAs', () => {
  setInvariantChecks(true);

  it('a missing page in a registered range is handed to the registration, allocating nothing', () => {
    const { space, alloc } = testMemory();
    const as = space();
    const a = mmap(as, 0, 3 * K, RW, PRIV, null, 0);
    const reg = recorder(WAIT);
    expect(registerUserFaults(as, a + K, K, reg)).toBe(0);
    expect(as.vmas.find(a)!.value.uffd).toBeNull(); // split at the range's ends
    const used = alloc.stats().usedFrames;
    expect(handleUserFault(as, (a + K) / K, true)).toBe(WAIT);
    expect(alloc.stats().usedFrames).toBe(used);
    expect(reg.faults).toEqual([[a + K, true]]);
    // Pages outside the range, and kernel accesses (which cannot sleep), fault as usual.
    expect(handleUserFault(as, a / K, false)).toBe(0);
    expect(handleFault(as, (a + 2 * K) / K, true)).toBe(0);
    expect(reg.faults.length).toBe(1);
  });

  it('UFFD_FEATURE_SIGBUS answers SIGBUS; a released registration lets the fault resolve', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 2 * K, RW, PRIV, null, 0);
    expect(registerUserFaults(as, a, K, recorder('sigbus'))).toBe(0);
    expect(handleUserFault(as, a / K, false)).toBe(Signal.SIGBUS);
    const gone = recorder(null);
    expect(registerUserFaults(as, a + K, K, gone)).toBe(0);
    expect(handleUserFault(as, (a + K) / K, false)).toBe(0);
  });

  it('another registration is EBUSY, unregistering through it EINVAL; ranges split and merge back', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 4 * K, RW, PRIV, null, 0);
    const one = recorder(WAIT);
    const two = recorder(WAIT);
    expect(registerUserFaults(as, a + K, 2 * K, one)).toBe(0);
    expect(as.mapCount).toBe(3);
    expect(registerUserFaults(as, a, 2 * K, two)).toBe(-Errno.EBUSY);
    expect(unregisterUserFaults(as, a + K, K, two)).toBe(-Errno.EINVAL);
    expect(registerUserFaults(as, a, 0, one)).toBe(-Errno.EINVAL);
    expect(registerUserFaults(as, a + 1, K, one)).toBe(-Errno.EINVAL);
    expect(unregisterUserFaults(as, a + K, K, one)).toBe(0);
    expect(as.mapCount).toBe(3);
    releaseUserFaults(as, one);
    expect(as.mapCount).toBe(1); // the pieces merge again
    // mprotect keeps a registration (it changes protections only).
    expect(registerUserFaults(as, a, K, one)).toBe(0);
    expect(mprotect(as, a, K, PROT.PROT_READ)).toBe(0);
    expect(as.vmas.find(a)!.value.uffd).toBe(one);
  });

  it('shared anonymous memory (shmem): a page missing from the object waits, and the fill puts it in the object', () => {
    const { space } = testMemory();
    const as = space();
    const shared = mmap(as, 0, K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, null, 0);
    const reg = recorder(WAIT);
    expect(registerUserFaults(as, shared, K, reg)).toBe(0);
    expect(handleUserFault(as, shared / K, false)).toBe(WAIT);
    const object = as.vmas.find(shared)!.value.backing!.mappable;
    expect(object.isResident(0)).toBe(false);
    const child = forkAddressSpace(as); // shares the object, without the registration
    expect(fillUserFaultPages(as, shared, K, (_o, page) => (page.fill(0x42), true))).toBe(K);
    expect(object.isResident(0)).toBe(true);
    expect(peek(child, shared, 1)).toBe('B');
    expect(fillUserFaultPages(as, shared, K, null)).toBe(-Errno.EEXIST);
  });

  it('fork drops registrations (no UFFD_FEATURE_EVENT_FORK)', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, K, RW, PRIV, null, 0);
    expect(registerUserFaults(as, a, K, recorder(WAIT))).toBe(0);
    const child = forkAddressSpace(as);
    expect(child.vmas.find(a)!.value.uffd).toBeNull();
    expect(handleUserFault(child, a / K, true)).toBe(0);
  });

  it('the fill: ENOENT outside one registered VMA, EEXIST on a present page, EFAULT from the source; the count when partial', () => {
    const { space } = testMemory();
    const as = space();
    const a = mmap(as, 0, 3 * K, RW, PRIV, null, 0);
    const src = (_offset: number, page: Uint8Array): boolean => (page.fill(0x41), true);
    expect(fillUserFaultPages(as, a, K, src)).toBe(-Errno.ENOENT); // not registered
    expect(registerUserFaults(as, a, 2 * K, recorder(WAIT))).toBe(0);
    expect(fillUserFaultPages(as, a, 3 * K, src)).toBe(-Errno.ENOENT); // past the VMA
    expect(poke(as, a + K, 'x')).toBe(0); // a kernel store resolves the page
    expect(fillUserFaultPages(as, a, 2 * K, src)).toBe(K); // stops at the present page
    expect(peek(as, a, 2)).toBe('AA');
    expect(fillUserFaultPages(as, a, K, src)).toBe(-Errno.EEXIST);
    expect(fillUserFaultPages(as, a, K, () => false)).toBe(-Errno.EFAULT); // the source first
    expect(handleUserFault(as, a / K, true)).toBe(0); // copied pages are writable
  });
});
