import { FS_MAGIC } from '@tskern/abi';
import type { HostStatfs } from './host-backend';

/** Host file systems without direct I/O (no FMODE_CAN_ODIRECT on their files). */
const NO_DIRECT_IO: ReadonlySet<number> = new Set([FS_MAGIC.RAMFS_MAGIC, FS_MAGIC.PROC_SUPER_MAGIC, FS_MAGIC.SYSFS_MAGIC]);

/** The logical block size hostfs assumes for a host block file system. */
const BLOCK_FS_ALIGNMENT = 512;

/**
 * The direct I/O steps of the host file system `statfs` describes (see
 * HostFs.directIoAlignment): 1 on tmpfs, none on ramfs, procfs and sysfs
 * or when the host gives no answer, else 512.
 */
export function hostDirectIoAlignment(statfs: HostStatfs | number): number | undefined {
  if (typeof statfs === 'number' || statfs.hostMagic === undefined) return undefined;
  if (statfs.hostMagic === FS_MAGIC.TMPFS_MAGIC) return 1;
  if (NO_DIRECT_IO.has(statfs.hostMagic)) return undefined;
  return BLOCK_FS_ALIGNMENT;
}
