import { S } from '@tskern/abi';

/** File-type tests on an st_mode value (the S_ISxxx macros of linux/stat.h). */
export function isDir(mode: number): boolean {
  return (mode & S.S_IFMT) === S.S_IFDIR;
}
export function isReg(mode: number): boolean {
  return (mode & S.S_IFMT) === S.S_IFREG;
}
export function isLnk(mode: number): boolean {
  return (mode & S.S_IFMT) === S.S_IFLNK;
}

/** Permission and set-id bits: S_IALLUGO of linux/stat.h. */
export const S_IALLUGO = S.S_ISUID | S.S_ISGID | S.S_ISVTX | S.S_IRWXU | S.S_IRWXG | S.S_IRWXO;
/** rwx for user, group and other: S_IRWXUGO. */
export const S_IRWXUGO = S.S_IRWXU | S.S_IRWXG | S.S_IRWXO;
/** Any execute bit: S_IXUGO. */
export const S_IXUGO = S.S_IXUSR | S.S_IXGRP | S.S_IXOTH;

/**
 * The d_type of a mode for getdents64: DT_* values are the file-type bits
 * shifted down (fs_umode_to_dtype: `(mode & S_IFMT) >> 12`).
 */
export function dirEntryType(mode: number): number {
  return (mode & S.S_IFMT) >>> 12;
}
