import { describe, expect, it } from 'vitest';
import { TRANSLATE_NOMEM, TRANSLATE_SIGBUS } from './index';

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
});
