import { describe, expect, it } from 'vitest';
import { TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type TranslateFault, type TranslateResult } from './index';

/**
 * The interfaces carry no code; what they promise is checked where the code
 * is: every Mappable implementation (ramfs and shmfs files, hostfs files,
 * shared anonymous objects of shmfs and mman) runs the contract suite of
 * `@tskern/test-kit/mappable-contract` against itself. Only the values of
 * the contract live here.
 */
describe('mm-api contract values', () => {
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
});
