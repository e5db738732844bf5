/**
 * What a futex is (kernel/futex/core.c get_futex_key's `union futex_key`):
 *
 * - private: the address space and the user address — FUTEX_PRIVATE_FLAG,
 *   or memory no other process can see (a private anonymous page);
 * - shared: the mapped object (the inode's page cache: a file, a shm object,
 *   shared anonymous memory) and the byte offset in it, so two processes
 *   mapping one object at different addresses meet on one key.
 *
 * `object` is compared by identity. `@tskern/mman` answers the key of an
 * address (`futexKeyOf`); tests make keys directly.
 */
export interface FutexKey {
  readonly shared: boolean;
  /** The address space (private) or the mapped object (shared). */
  readonly object: object;
  /** The user address (private) or the byte offset in the object (shared). */
  readonly offset: number;
}

/** A private key: address `address` in address space `space`. */
export function privateFutexKey(space: object, address: number): FutexKey {
  return { shared: false, object: space, offset: address };
}

/** A shared key: byte `offset` of mapped object `object`. */
export function sharedFutexKey(object: object, offset: number): FutexKey {
  return { shared: true, object, offset };
}

/** Whether two keys name one futex (futex_match). */
export function sameFutexKey(a: FutexKey, b: FutexKey): boolean {
  return a.object === b.object && a.offset === b.offset && a.shared === b.shared;
}
