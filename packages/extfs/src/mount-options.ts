import { parseFsU32, type FsParameter } from '@tskern/vfs';

/** The options ext4 keeps that /proc/mounts shows when they differ from the defaults. */
export interface ExtOptions {
  /** errors=: what an error does (continue, remount-ro, panic); null when not given. */
  readonly errors: string | null;
  /** data=: the journalling mode; null when not given. */
  readonly data: string | null;
}

/** Flags ext4_fs_parameters takes, with or without "no" (fs/ext4/super.c); accepted and without effect here. */
const FLAGS = new Set([
  'barrier',
  'nobarrier',
  'user_xattr',
  'nouser_xattr',
  'acl',
  'noacl',
  'delalloc',
  'nodelalloc',
  'discard',
  'nodiscard',
  'auto_da_alloc',
  'noauto_da_alloc',
  'dioread_nolock',
  'dioread_lock',
  'journal_checksum',
  'nojournal_checksum',
  'journal_async_commit',
  'init_itable',
  'noinit_itable',
  'block_validity',
  'noblock_validity',
  'i_version',
  'nombcache',
  'no_mbcache',
  'minixdf',
  'bsddf',
  'grpid',
  'bsdgroups',
  'nogrpid',
  'sysvgroups',
  'quota',
  'noquota',
  'usrquota',
  'grpquota',
  'prjquota',
  'norecovery',
  'noload',
  'nouid32',
  'debug',
  'oldalloc',
  'orlov',
  'abort',
  'nojournal_checksum',
  'prefetch_block_bitmaps',
  'no_prefetch_block_bitmaps',
  'mb_optimize_scan',
]);

/** Options taking a number (commit=5, stripe=..., barrier=1, init_itable=10, ...). */
const NUMBERS = new Set(['commit', 'stripe', 'barrier', 'init_itable', 'max_batch_time', 'min_batch_time', 'resuid', 'resgid', 'sb', 'max_dir_size_kb', 'journal_ioprio', 'inode_readahead_blks', 'mb_optimize_scan']);

const CHOICES: Record<string, readonly string[]> = {
  errors: ['continue', 'remount-ro', 'panic'],
  data: ['journal', 'ordered', 'writeback'],
  data_err: ['abort', 'ignore'],
};

/**
 * ext4_parse_param over mount(2)'s options: the ones this file system
 * understands are checked and accepted (most have no effect without a
 * journal or quota); anything else is EINVAL, as Linux's
 * "Unrecognized mount option". Returns the options to show, or null.
 */
export function parseExtOptions(parameters: readonly FsParameter[]): ExtOptions | null {
  let errors: string | null = null;
  let data: string | null = null;
  for (const { key, value } of parameters) {
    if (value === null && FLAGS.has(key)) continue;
    if (value !== null && NUMBERS.has(key)) {
      if (parseFsU32(value, 10) === null) return null;
      continue;
    }
    const choices = CHOICES[key];
    if (choices !== undefined && value !== null && choices.includes(value)) {
      if (key === 'errors') errors = value;
      if (key === 'data') data = value;
      continue;
    }
    return null;
  }
  return { errors, data };
}

/** _ext4_show_options for what tskern keeps: errors= and data= when asked for explicitly ("" for defaults). */
export function showExtOptions(options: ExtOptions): string {
  let s = '';
  if (options.errors !== null && options.errors !== 'continue') s += `,errors=${options.errors}`;
  if (options.data !== null && options.data !== 'ordered') s += `,data=${options.data}`;
  return s;
}
