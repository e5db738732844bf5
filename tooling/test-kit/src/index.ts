/**
 * @tskern/test-kit — helpers shared by tskern's tests, in one place instead of
 * a copy per package. Test files only (dependency-cruiser forbids it
 * elsewhere); it is private and never published. The Mappable contract suite
 * is its own entry, `@tskern/test-kit/mappable-contract`, as it needs vitest.
 */
export { ok } from './errno-result';
export { encodeText, encodeCString, decodeText, decodeCStrings } from './text';
export { RecordingSpace, type Invalidation } from './recording-space';
export { ZeroKernel } from './zero-kernel';
export { DirsOnlyFs, listPath, readPath, readToEnd, writePath } from './pseudo-fs';
