import { parseFsU32, type FsParameter } from '@tskern/vfs';

/** What /proc/mounts shows for the options a mount was given: ",nodelalloc,data=ordered" ("" for defaults). */
export interface ExtOptions {
  readonly shown: string;
}

/**
 * Flag options of ext4_fs_parameters (fs/ext4/super.c) with what
 * _ext4_show_options prints for each when given ("" for a default or an
 * option it does not show). Linux 6.x has dropped noacl and nouser_xattr:
 * they are EINVAL like any unknown option. None of these change what this
 * file system does (no journal is written, no quota kept); they are accepted
 * as ext4 accepts them.
 */
const FLAGS: Record<string, string> = {
  barrier: '',
  nobarrier: 'nobarrier',
  acl: '',
  user_xattr: '',
  delalloc: '',
  nodelalloc: 'nodelalloc',
  discard: 'discard',
  nodiscard: '',
  auto_da_alloc: '',
  noauto_da_alloc: 'noauto_da_alloc',
  dioread_nolock: '',
  dioread_lock: '',
  journal_checksum: '',
  nojournal_checksum: 'nojournal_checksum',
  journal_async_commit: 'journal_async_commit',
  init_itable: '',
  noinit_itable: 'noinit_itable',
  block_validity: 'block_validity',
  noblock_validity: '',
  i_version: '',
  nombcache: 'nombcache',
  no_mbcache: 'nombcache',
  minixdf: 'minixdf',
  bsddf: '',
  grpid: 'grpid',
  bsdgroups: 'grpid',
  nogrpid: '',
  sysvgroups: '',
  quota: 'quota,usrquota',
  usrquota: 'quota,usrquota',
  grpquota: 'quota,grpquota',
  prjquota: 'prjquota',
  noquota: '',
  norecovery: 'norecovery',
  noload: 'norecovery',
  nouid32: 'nouid32',
  debug: 'debug',
  oldalloc: '',
  orlov: '',
  prefetch_block_bitmaps: '',
  no_prefetch_block_bitmaps: 'no_prefetch_block_bitmaps',
};

/** Options with a number: whether /proc/mounts shows them (commit= only when not the default 5). */
const NUMBERS: Record<string, (n: number) => string> = {
  commit: (n) => (n === 0 || n === 5 ? '' : `commit=${n}`),
  barrier: (n) => (n === 0 ? 'nobarrier' : ''),
  init_itable: () => '',
  auto_da_alloc: (n) => (n === 0 ? 'noauto_da_alloc' : ''),
  resuid: (n) => (n === 0 ? '' : `resuid=${n}`),
  resgid: (n) => (n === 0 ? '' : `resgid=${n}`),
  stripe: (n) => (n === 0 ? '' : `stripe=${n}`),
  max_batch_time: (n) => `max_batch_time=${n}`,
  min_batch_time: (n) => `min_batch_time=${n}`,
  max_dir_size_kb: (n) => `max_dir_size_kb=${n}`,
  inode_readahead_blks: (n) => `inode_readahead_blks=${n}`,
  mb_optimize_scan: (n) => `mb_optimize_scan=${n}`,
  sb: () => '',
  journal_ioprio: () => '',
};

/** Options with a word; errors=continue is the superblock's default (s_errors) and not shown. */
const CHOICES: Record<string, readonly string[]> = {
  errors: ['continue', 'remount-ro', 'panic'],
  data: ['journal', 'ordered', 'writeback'],
  data_err: ['abort', 'ignore'],
};

/**
 * ext4_parse_param over mount(2)'s options: known ones are checked and
 * accepted, anything else is EINVAL (Linux's "Unrecognized mount option"),
 * as is a bad number. Returns what /proc/mounts shows, or null for EINVAL.
 */
export function parseExtOptions(parameters: readonly FsParameter[]): ExtOptions | null {
  const shown: string[] = [];
  const show = (s: string) => {
    for (const part of s.split(',')) if (part !== '' && !shown.includes(part)) shown.push(part);
  };
  for (const { key, value } of parameters) {
    if (value === null) {
      const flag = FLAGS[key];
      if (flag === undefined) return null;
      show(flag);
      continue;
    }
    const number = NUMBERS[key];
    if (number !== undefined) {
      const n = parseFsU32(value, 10);
      if (n === null) return null;
      show(number(n));
      continue;
    }
    const choices = CHOICES[key];
    if (choices === undefined || !choices.includes(value)) return null;
    if (!(key === 'errors' && value === 'continue')) show(`${key}=${value}`);
  }
  return { shown: shown.map((s) => `,${s}`).join('') };
}
