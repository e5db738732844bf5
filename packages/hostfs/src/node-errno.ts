import { Errno, errnoValue } from '@tskern/abi';

/**
 * `-errno` for an error thrown by `node:fs`: its `code` ("ENOENT", "EACCES")
 * names the Linux errno; anything without a known code is EIO.
 */
export function nodeErrno(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  const value = typeof code === 'string' ? errnoValue(code) : undefined;
  return -(value ?? Errno.EIO);
}
