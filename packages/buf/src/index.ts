/**
 * @tskern/buf: page-aligned growable buffers of refcounted frames, the
 * storage behind ramfs/shmfs files and their shared mappings.
 */
export { PagedBuffer } from './paged-buffer';
export { PageTable } from './page-table';
export type { FrameSink } from './page-table';
export { ENOSPC } from './errno';
