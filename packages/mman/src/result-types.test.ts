import {
  Errno, isError, MAP, PAGE_SIZE, PROT, Signal,
  type FaultResult, type NegErrno, type Status,
} from '@tskern/abi';
import { TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type TranslateResult } from '@tskern/mm-api';
import { isFrame, type FrameId } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { handleFault } from './fault';
import { mmap } from './mmap';
import { munmap } from './munmap';
import { standaloneSharedAnonymous } from './standalone-shared-anonymous';
import { testMemory } from './test-kit';

// The results of the fault path, the page table and translate each have a
// type of their own. The `@ts-expect-error` lines are compile-time tests
// (tsc checks test files in the package typecheck): each breaks the build
// if one kind of result ever passes for another.

describe('fault, frame and translate results through mman', () => {
  it('a fault answers a signal, never an errno, and the compiler keeps them apart', () => {
    const { space } = testMemory();
    const as = space();
    const page = 0x700000000 / PAGE_SIZE;
    const sig = handleFault(as, page, false); // nothing mapped there
    expect(sig).toBe(Signal.SIGSEGV);
    // @ts-expect-error a fault's signal is not -errno
    const asErrno: NegErrno = sig;
    // @ts-expect-error nor a Status
    const asStatus: Status = handleFault(as, page, true);
    expect(isError(asErrno)).toBe(false);
    expect(asStatus).toBe(Signal.SIGSEGV);
  });

  it('a page table holds FrameIds only', () => {
    const { space } = testMemory();
    const as = space();
    const addr = mmap(as, 0x700000000, PAGE_SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, null, 0);
    const page = addr / PAGE_SIZE;
    const ok: FaultResult = handleFault(as, page, true);
    expect(ok).toBe(0);
    const frame: FrameId = as.pt.frame(page);
    expect(as.frames.refCount(frame)).toBe(1);
    // @ts-expect-error a page number is not a frame
    expect(() => as.pt.set(page + 1, page, 0)).toThrow(); // PTE_PRESENT missing: refused at run time too
  });

  it('translate answers a frame or a code that is neither an errno nor a frame', () => {
    const { alloc } = testMemory({}, 1);
    const source = standaloneSharedAnonymous(alloc)(2 * PAGE_SIZE);
    if (typeof source === 'number' || !source.mappable) throw new Error('no shared anonymous object');
    const mappable = source.mappable;
    const first: TranslateResult = mappable.translate(0, true);
    // @ts-expect-error a translate result must be checked before it is used as a frame
    const unchecked: FrameId = first;
    expect(isFrame(unchecked)).toBe(true);
    expect(mappable.translate(PAGE_SIZE, true)).toBe(TRANSLATE_NOMEM); // the one frame is taken
    expect(mappable.translate(4 * PAGE_SIZE, false)).toBe(TRANSLATE_SIGBUS); // past the end
    for (const code of [TRANSLATE_SIGBUS, TRANSLATE_NOMEM]) {
      expect(isError(code)).toBe(false);
      expect([-Errno.EPERM, -Errno.ENOENT, -Errno.ENOMEM]).not.toContain(code);
    }
    // @ts-expect-error a translate code is not -errno
    const notErrno: NegErrno = TRANSLATE_SIGBUS;
    expect(notErrno).toBe(TRANSLATE_SIGBUS);
  });

  it('munmap answers 0 or -errno, which a fault result cannot hold', () => {
    const { space } = testMemory();
    const as = space();
    const bad: Status = munmap(as, 0x700000001, PAGE_SIZE); // unaligned
    expect(bad).toBe(-Errno.EINVAL);
    expect(isError(bad)).toBe(true);
    // @ts-expect-error -errno is not a FaultResult
    const asFault: FaultResult = munmap(as, 0x700000000, 0);
    expect(asFault).toBe(-Errno.EINVAL);
  });
});
