import type { FrameId } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import {
  TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type MappingIdentity, type MappingSpace, type MmapSource,
  type TranslateFault, type TranslateResult,
} from './index';

/**
 * The interfaces carry no code, so this checks the contract's values and that
 * a minimal object satisfies each interface as documented.
 */
describe('mm-api contract', () => {
  it('keeps the translate codes negative and distinct, so any frame id (>= 0) is unambiguous', () => {
    expect(TRANSLATE_SIGBUS).toBeLessThan(0);
    expect(TRANSLATE_NOMEM).toBeLessThan(0);
    expect(TRANSLATE_SIGBUS).not.toBe(TRANSLATE_NOMEM);
  });

  it('keeps the translate codes below the errno range (-4095..-1), so neither reads as -EPERM or -ENOENT', () => {
    for (const code of [TRANSLATE_SIGBUS, TRANSLATE_NOMEM]) expect(code).toBeLessThan(-4095);
    // Compile-time: a plain number (an errno such as -1) is neither a fault code nor a frame.
    // @ts-expect-error -1 (-EPERM) is not a TranslateFault
    const eperm: TranslateFault = -1;
    // @ts-expect-error a plain number is not a TranslateResult
    const enoent: TranslateResult = -2 as number;
    expect([eperm, enoent]).toEqual([-1, -2]);
  });

  it('lets a one-page object implement Mappable and MappingIdentity together', () => {
    const invalidated: [number, number, boolean][] = [];
    const space: MappingSpace = { invalidate: (s, e, p) => void invalidated.push([s, e, p]) };
    let refs = 0;
    const registered: number[] = [];
    const object: Mappable & MappingIdentity = {
      frames: undefined as never,
      addMapping: (_s, start) => void registered.push(start),
      removeMapping: (_s, start) => void registered.splice(registered.indexOf(start), 1),
      translate: (offset) => (offset < 4096 ? (0 as FrameId) : TRANSLATE_SIGBUS), // frame 0 of a fake allocator
      isResident: (offset) => offset < 4096,
      size: () => 4096,
      punchHole: (offset, length) => {
        space.invalidate(0x1000 + offset, 0x1000 + offset + length, false);
        return 0;
      },
      incRef: () => void refs++,
      decRef: () => void refs--,
      mappedName: () => '/dev/shm/x',
      deviceId: () => 0x1a,
      inodeId: () => 7,
      sync: () => 0,
    };
    const source: MmapSource = { mappable: object, identity: object, readable: true, writable: false };
    source.identity!.incRef();
    source.mappable!.addMapping(space, 0x1000, 0x2000, 0, false);
    expect(source.mappable!.translate(4096, false)).toBe(TRANSLATE_SIGBUS);
    expect(source.mappable!.punchHole(0, 4096)).toBe(0);
    expect(invalidated).toEqual([[0x1000, 0x2000, false]]);
    source.mappable!.removeMapping(space, 0x1000, 0x2000, 0, false);
    source.identity!.decRef();
    expect(registered).toEqual([]);
    expect(refs).toBe(0);
  });
});
