/**
 * @tskern/extfs — the ext2, ext3 and ext4 file systems over a block device
 * (Linux's fs/ext4, which serves all three): the on-disk format with its
 * checksums, extent trees and block maps, directories, a page cache with
 * dirty tracking that mmap shares, and the mount(2) types.
 */
export { ExtFs, ROOT_INO, type ExtFlavour, type ExtMountOptions } from './ext-fs';
export { ExtInode } from './ext-inode';
export { extFileSystemType, extFileSystemTypes } from './ext-fs-type';
export { EXT4_SUPER_MAGIC } from './superblock';
export { EXT4_KERNEL_FEATURES } from './kernel-features';
