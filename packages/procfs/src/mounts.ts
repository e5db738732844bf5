/** One line of /proc/[pid]/mounts. */
export interface MountEntry {
  /** The device or source ("proc", "tmpfs", "none", a host folder). */
  readonly source: string;
  /** Where it is mounted, relative to the reader's root. */
  readonly target: string;
  /** The file system type ("proc", "tmpfs", "hostfs"). */
  readonly type: string;
  /** The option list as Linux prints it ("rw,nosuid,nodev,noexec,relatime"). */
  readonly options: string;
}

/** mangle(): space, tab, newline and backslash as 3-digit octal escapes (seq_escape with " \t\n\\"). */
function mangle(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

/**
 * The text of /proc/[pid]/mounts (fs/proc_namespace.c:show_vfsmnt): source,
 * mountpoint, type (each mangled), options, then "0 0".
 */
export function formatMounts(entries: readonly MountEntry[]): string {
  return entries.map((e) => `${mangle(e.source)} ${mangle(e.target)} ${mangle(e.type)} ${e.options} 0 0\n`).join('');
}

/** One line of /proc/[pid]/mountinfo. */
export interface MountinfoEntry {
  /** mnt_id and the parent's (the root mount names itself). */
  readonly id: number;
  readonly parentId: number;
  /** st_dev of the file system (major * 256 + minor). */
  readonly deviceId: number;
  /** The mount's root within its file system ("/" unless a bind mount of a subdirectory). */
  readonly root: string;
  /** Where it is mounted, relative to the reader's root. */
  readonly target: string;
  /** The mount's options ("rw,nosuid,relatime"). */
  readonly mountOptions: string;
  readonly type: string;
  readonly source: string;
  /** The superblock's options ("rw,size=1024k"). */
  readonly superOptions: string;
}

/**
 * The text of /proc/[pid]/mountinfo (fs/proc_namespace.c:show_mountinfo):
 * ids, major:minor, root and mountpoint (mangled), mount options, no
 * optional fields (tskern's mounts are all private), "-", type, source,
 * superblock options.
 */
export function formatMountinfo(entries: readonly MountinfoEntry[]): string {
  return entries
    .map((e) => {
      const dev = `${Math.floor(e.deviceId / 256)}:${e.deviceId % 256}`;
      return `${e.id} ${e.parentId} ${dev} ${mangle(e.root)} ${mangle(e.target)} ${e.mountOptions} - ${mangle(e.type)} ${mangle(e.source)} ${e.superOptions}\n`;
    })
    .join('');
}
