import type { FileSystemTypes } from './file-system-type';
import { MNT, type Mount } from './mount';

/** show_mnt_opts (fs/proc_namespace.c): the per-mount flags, in Linux's order. */
const MNT_OPTION_NAMES: readonly (readonly [number, string])[] = [
  [MNT.NOSUID, ',nosuid'],
  [MNT.NODEV, ',nodev'],
  [MNT.NOEXEC, ',noexec'],
  [MNT.NOATIME, ',noatime'],
  [MNT.NODIRATIME, ',nodiratime'],
  [MNT.RELATIME, ',relatime'],
  [MNT.NOSYMFOLLOW, ',nosymfollow'],
];

function mntOptions(m: Mount): string {
  return MNT_OPTION_NAMES.filter(([bit]) => (m.flags & bit) !== 0).map(([, name]) => name).join('');
}

/** The file system's own options (show_options of its type), or "". */
function fsOptions(m: Mount, types: FileSystemTypes): string {
  return types.get(m.fs.type)?.showOptions(m.fs) ?? '';
}

/**
 * The options column of /proc/[pid]/mounts (show_vfsmnt): "ro" when the
 * mount or its file system is read-only, else "rw"; the mount's flags; the
 * file system's options ("rw,nosuid,nodev,relatime,size=1024k").
 */
export function mountsOptions(m: Mount, types: FileSystemTypes): string {
  const ro = (m.flags & MNT.READONLY) !== 0 || m.fs.readOnly;
  return (ro ? 'ro' : 'rw') + mntOptions(m) + fsOptions(m, types);
}

/**
 * The two option columns of /proc/[pid]/mountinfo (show_mountinfo): the
 * mount's ("rw,nosuid,relatime") and the superblock's ("rw,size=1024k").
 */
export function mountinfoOptions(m: Mount, types: FileSystemTypes): { mount: string; superblock: string } {
  return {
    mount: ((m.flags & MNT.READONLY) !== 0 ? 'ro' : 'rw') + mntOptions(m),
    superblock: (m.fs.readOnly ? 'ro' : 'rw') + fsOptions(m, types),
  };
}
