import { HostInode } from './host-inode';

/** A host symlink: its target is read from the host (HostFs.readlink) and followed by the VFS, never by the host. */
export class HostSymlink extends HostInode {}

/**
 * A fifo, socket or device node on the host: visible, with no data of its
 * own. Opening it is the VFS's (`Vfs.specialFiles`): a host FIFO is a pipe
 * among the guest's processes only, a socket ENXIO, a device node ENXIO
 * (hostfs reports st_rdev 0, a number no driver has).
 */
export class HostSpecial extends HostInode {}
