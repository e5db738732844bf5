import type { MappingIdentity } from '@tskern/mm-api';
import type { OpenFileDescription } from './open-file-description';

/**
 * Makes the MappingIdentity an open file hands to mmap. `@tskern/file-mapping`
 * implements it (one refcounted handle per inode); the VFS only asks.
 */
export interface MappingIdentityProvider {
  /** The identity for mapping `file`'s inode, without a reference taken for the caller. */
  identityFor(file: OpenFileDescription): MappingIdentity;
}
