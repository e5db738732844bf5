/**
 * @tskern/ramfs — an in-memory file system whose regular files keep their
 * data in PagedBuffers of the kernel's frames, so each file is its own page
 * cache and implements mm-api's Mappable.
 */
export * from './ramfs';
export * from './ram-file';
export * from './reverse-map-alias';
export * from './ramfs-type';
