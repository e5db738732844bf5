import { HostInode } from './host-inode';

/** A host symlink: its target is read from the host (HostFs.readlink) and followed by the VFS, never by the host. */
export class HostSymlink extends HostInode {}

/** A fifo, socket or device node on the host: visible, but without data operations (read/write are EINVAL). */
export class HostSpecial extends HostInode {}
