/**
 * @tskern/buf: page-aligned growable buffers of refcounted frames, the
 * storage behind ramfs/shmfs files and their shared mappings.
 */
export { PagedBuffer } from './paged-buffer';
export { FilePageIndex } from './file-page-index';
export type { FrameSink } from './file-page-index';
export { ENOSPC } from './errno';
