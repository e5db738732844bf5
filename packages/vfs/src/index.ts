/**
 * @tskern/vfs — the virtual file system: mounts, path lookup, inodes and
 * the FileSystem interface file systems implement, dentries (file names for
 * /proc/[pid]/maps), open file descriptions, fd tables, credentials and
 * permission checks, and fs contexts. Linux's fs/namei.c, fs/open.c,
 * fs/file.c, fs/fcntl.c and fs/libfs.c are the reference.
 */
export * from './byte-string';
export * from './mode';
export * from './credentials';
export * from './capability-transitions';
export * from './permission';
export * from './inode';
export type { IoctlContext } from './ioctl';
export * from './file-system';
export * from './file-system-type';
export * from './fs-parameter';
export * from './dentry';
export * from './mount';
export * from './path';
export * from './fs-context';
export * from './namei';
export * from './stat';
export * from './device';
export * from './mapping-identity-provider';
export * from './open-file-description';
export * from './fd-table';
export * from './truncate';
export * from './attr';
export * from './link';
export * from './statfs';
export * from './fallocate';
export * from './special-files';
export { checkOpenFlags } from './open';
export * from './vfs';
export * from './libfs/simple-inode';
export * from './libfs/simple-directory';
export * from './libfs/simple-symlink';
export * from './libfs/special-inode';
export * from './libfs/simple-file-system';
export * from './libfs/kernfs-inode';
export * from './mount-options';
