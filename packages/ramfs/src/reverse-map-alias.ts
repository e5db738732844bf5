import { MappingSet } from '@tskern/mm-api';

/**
 * @deprecated Moved to `@tskern/mm-api` as `MappingSet` (gVisor's name), so
 * that a file system needs no peer file system for it; this alias goes in
 * the next minor release.
 */
export const ReverseMap = MappingSet;
/** @deprecated Use `MappingSet` from `@tskern/mm-api`. */
export type ReverseMap = MappingSet;
