import { Errno, PAGE_SIZE, PATH_MAX } from '@tskern/abi';
import type { UserMemory } from '@tskern/tasks';
import { byteStringFromBytes, type FsParameter } from '@tskern/vfs';

/**
 * copy_mount_string (strndup_user with PATH_MAX): null for a NULL pointer,
 * else the string; EFAULT for a bad pointer, EINVAL when no NUL comes
 * within PATH_MAX bytes.
 */
export function copyMountString(mem: UserMemory, addr: number): string | null | number {
  if (addr === 0) return null;
  const r = mem.readString(addr, PATH_MAX);
  if (typeof r === 'number') return r;
  if (r.length >= PATH_MAX) return -Errno.EINVAL;
  return byteStringFromBytes(r);
}

/**
 * copy_mount_options: mount(2)'s data page, up to its first NUL (the last
 * byte of the page is made a NUL, as path_mount does). Null for a NULL
 * pointer; EFAULT when nothing can be read.
 */
export function copyMountOptions(mem: UserMemory, addr: number): string | null | number {
  if (addr === 0) return null;
  const r = mem.readString(addr, PAGE_SIZE - 1);
  if (typeof r === 'number') return r;
  return byteStringFromBytes(r.subarray(0, PAGE_SIZE - 1));
}

/** The superblock flags the VFS takes from the option string itself (vfs_parse_sb_flag). */
const SB_FLAG_OPTIONS = new Set(['ro', 'rw', 'sync', 'async', 'dirsync', 'lazytime', 'nolazytime', 'mand', 'nomand', 'silent']);

/** An option string taken apart: the file system's parameters and what the VFS itself read. */
export interface ParsedMountData {
  readonly parameters: FsParameter[];
  /** `ro` (true) or `rw` (false) when the string said so, last one winning. */
  readonly readOnly: boolean | null;
  /** A `source=` option (only when mount(2) named none). */
  readonly source: string | null;
}

/**
 * generic_parse_monolithic: split `data` at commas (empty pieces skipped),
 * each `key` or `key=value`; vfs_parse_fs_param first takes the superblock
 * flags (ro, rw, sync, ...) and `source=` (EINVAL, since mount(2) named a
 * source already when `haveSource`), the rest go to the file system.
 */
export function parseMountData(data: string | null, haveSource: boolean): ParsedMountData | number {
  const parameters: FsParameter[] = [];
  let readOnly: boolean | null = null;
  let source: string | null = null;
  for (const piece of (data ?? '').split(',')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? null : piece.slice(eq + 1);
    if (value === null && SB_FLAG_OPTIONS.has(key)) {
      if (key === 'ro' || key === 'rw') readOnly = key === 'ro';
      continue;
    }
    if (key === 'source') {
      if (haveSource || source !== null || value === null) return -Errno.EINVAL; // "Multiple sources" / a source needs a value
      source = value;
      continue;
    }
    parameters.push({ key, value });
  }
  return { parameters, readOnly, source };
}
