import { Errno } from '@tskern/abi';
import { parseFsId, parseFsU32, type FsParameter } from '@tskern/vfs';
import { memparse } from './memparse';

const PAGE_SHIFT = 12n;
const LONG_MAX = (1n << 63n) - 1n;
/** BOGO_INODE_SIZE (mm/shmem.c): the bytes an inode is charged against nr_inodes. */
const BOGO_INODE_SIZE = 1024n;
const ULONG_MAX = (1n << 64n) - 1n;

/** huge= values (shmem_param_enums_huge), by name. */
const HUGE = ['never', 'always', 'within_size', 'advise'] as const;

/** What a tmpfs mount asks for; absent fields were not given (SHMEM_SEEN_*). */
export interface TmpfsParameters {
  /** Size limit in pages (size=, nr_blocks=); 0 means no limit. */
  blocks?: bigint;
  /** nr_inodes=; 0 means no limit. */
  inodes?: bigint;
  /** mode= (& 07777). */
  mode?: number;
  uid?: number;
  gid?: number;
  huge?: (typeof HUGE)[number];
  /** inode64 (true) or inode32 (false). */
  inode64?: boolean;
  noswap?: boolean;
}

/**
 * shmem_parse_one for each option of a tmpfs mount: size= (memparse, or a
 * percentage of RAM), nr_blocks=, nr_inodes=, mode= (octal), uid=, gid=,
 * huge=, inode32, inode64, noswap. Anything else, a missing or bad value,
 * or a value on a flag option is -EINVAL, as Linux's "tmpfs: Unknown
 * parameter" and "Bad value". (mpol= and the quota options need NUMA and
 * CONFIG_TMPFS_QUOTA; tskern has neither, so they are unknown, as on such
 * a Linux.) `totalPages` is totalram_pages() for size=N%.
 */
export function parseTmpfsParameters(params: readonly FsParameter[], totalPages: number): TmpfsParameters | number {
  const out: TmpfsParameters = {};
  for (const { key, value } of params) {
    const flag = key === 'inode32' || key === 'inode64' || key === 'noswap';
    if (flag) {
      if (value !== null) return -Errno.EINVAL;
      if (key === 'noswap') out.noswap = true;
      else out.inode64 = key === 'inode64';
      continue;
    }
    if (value === null || value === '') return -Errno.EINVAL;
    switch (key) {
      case 'size': {
        const { value: size0, rest } = memparse(value);
        let size = size0;
        let tail = rest;
        if (tail.startsWith('%')) {
          size = (((size << PAGE_SHIFT) & ULONG_MAX) * BigInt(totalPages)) & ULONG_MAX;
          size /= 100n;
          tail = tail.slice(1);
        }
        if (tail !== '') return -Errno.EINVAL;
        out.blocks = (size + (1n << PAGE_SHIFT) - 1n) >> PAGE_SHIFT;
        break;
      }
      case 'nr_blocks': {
        const { value: n, rest } = memparse(value);
        if (rest !== '' || n > LONG_MAX) return -Errno.EINVAL;
        out.blocks = n;
        break;
      }
      case 'nr_inodes': {
        const { value: n, rest } = memparse(value);
        if (rest !== '' || n > ULONG_MAX / BOGO_INODE_SIZE) return -Errno.EINVAL;
        out.inodes = n;
        break;
      }
      case 'mode': {
        const m = parseFsU32(value, 8);
        if (m === null) return -Errno.EINVAL;
        out.mode = m & 0o7777;
        break;
      }
      case 'uid':
      case 'gid': {
        const id = parseFsId(value);
        if (id === null) return -Errno.EINVAL;
        out[key] = id;
        break;
      }
      case 'huge': {
        const h = HUGE.find((x) => x === value);
        if (h === undefined) return -Errno.EINVAL;
        out.huge = h;
        break;
      }
      default:
        return -Errno.EINVAL;
    }
  }
  return out;
}
