/**
 * @tskern/file-mapping — file-mapping handles: the refcounted, process-agnostic
 * MappingIdentity a VMA holds for a mapped file, one per inode, and the
 * registry that hands them to open file descriptions' mmapSource().
 */
export * from './file-mapping-handle';
export * from './file-mapping-registry';
