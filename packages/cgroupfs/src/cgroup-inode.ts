import { KernfsInode } from '@tskern/vfs';

/**
 * The common part of a cgroup2 inode: a kernfs node (vfs's KernfsInode),
 * owned by whoever the hierarchy says (a group's files follow its creator).
 */
export abstract class CgroupInode extends KernfsInode {}
