import { errnoName } from '@tskern/abi';

/**
 * The value of a call that answers a value or `-errno` (open, stat,
 * mmapSource, createHostFs...), or a thrown Error naming the errno, so a test
 * reads `const f = ok(vfs.open(...))` and fails loudly, with the errno's
 * name, where a value was expected.
 */
export function ok<T>(result: T | number, what = 'call'): T {
  if (typeof result === 'number')
    throw new Error(
      `${what} failed: ${result < 0 ? `-${errnoName(-result)}` : result} (${result})`,
    );
  return result;
}
