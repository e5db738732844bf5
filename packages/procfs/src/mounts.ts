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
